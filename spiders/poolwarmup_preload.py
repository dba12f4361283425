"""Imported by the cleaning pool's forkserver only (spiders.cleanpool preloads it): runs
`spiders.poolwarmup.warm_up` there, once, before any worker is forked. Importing it in any
other process would warm that process up and freeze its objects (gc.freeze) for nothing."""

from spiders.poolwarmup import warm_up

warm_up()
