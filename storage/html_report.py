"""`scrapy report`: one self-contained HTML page about a crawl run or a date range.

Per-site table (the figures each run kept in `crawl_runs.sites`), the failed checks of the
end-of-crawl monitors in red with their numbers, and charts: articles per run per site
over time, skip reasons, word counts per site against the site's earlier runs, comments
per article, removal families.

Charts are plotly figures with plotly.js inlined once into the page: the file opens
offline (no CDN), from a mail attachment or a CI artifact, and the charts stay
interactive (hover for the exact numbers, click a legend entry to hide a site). plotly
over Vega-Lite/altair because inlining Vega needs the vl-convert binary, and over
matplotlib SVG because the history charts are read by hovering, not by squinting.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from plotly.io import to_html
from plotly.offline import get_plotlyjs

from storage.models import to_utc_datetime
from storage.runs import RunRecord, SiteFigures, load_runs, sample_word_counts
from storage.store import Store

# Runs shown as history before the selected one(s).
HISTORY_RUNS = 30


@dataclass(slots=True)
class SiteRow:
    """One line of the per-site table: a site's figures summed over the selected runs."""

    site: str
    figures: SiteFigures = field(default_factory=SiteFigures)
    failures: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Selection:
    """What a report covers: `runs` (the selected ones) and `history` (earlier runs)."""

    runs: list[RunRecord]
    history: list[RunRecord]
    site: str | None
    title: str

    def sites(self, runs: Iterable[RunRecord]) -> list[str]:
        found = sorted({s for run in runs for s in run.sites})
        return [s for s in found if self.site is None or s == self.site]


def select_runs(
    store: Store,
    *,
    run_id: int | None = None,
    since: date | datetime | str | None = None,
    site: str | None = None,
) -> Selection:
    """The runs a report is about: `run_id`, every run since `since`, else the last one."""
    site = site.lower().removeprefix("www.") if site else None
    if run_id is not None:
        runs = load_runs(store, run_id=run_id)
        if not runs:
            raise ValueError(f"no crawl run {run_id}")
        title = f"crawl run {run_id}"
    elif since is not None:
        runs = load_runs(store, since=to_utc_datetime(since))
        title = f"crawl runs since {since}"
    else:
        runs = load_runs(store, last=1)
        title = f"crawl run {runs[0].id}" if runs else "no crawl runs yet"
    before = runs[0].id if runs else None
    history = load_runs(store, before=before, last=HISTORY_RUNS) if before else []
    return Selection(runs=runs, history=history, site=site, title=title)


def write_report(
    store: Store,
    path: str | Path,
    *,
    run_id: int | None = None,
    since: date | datetime | str | None = None,
    site: str | None = None,
) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    selection = select_runs(store, run_id=run_id, since=since, site=site)
    path.write_text(render(selection, store.safe_url), encoding="utf-8")
    return path


def site_rows(selection: Selection) -> list[SiteRow]:
    rows = {site: SiteRow(site) for site in selection.sites(selection.runs)}
    for run in selection.runs:
        for site, row in rows.items():
            if site in run.sites:
                row.figures.add(run.sites[site])
            row.failures.extend({**f, "run": run.id} for f in run.failures_for(site))
    return list(rows.values())


# --- page -------------------------------------------------------------------------------


def render(selection: Selection, database: str) -> str:
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    only = f" · site <b>{_e(selection.site)}</b>" if selection.site else ""
    head = (f"<h1>newsclean — {_e(selection.title)}</h1><p class='meta'>database "
            f"<code>{_e(database)}</code> · generated {generated}{only}</p>")  # fmt: skip
    if not selection.runs:
        body = (
            "<section class='empty'><h2>Nothing to report yet</h2><p>This database has no "
            "crawl runs"
            + (" in that range" if "since" in selection.title else "")
            + ". Crawl something first (<code>scrapy crawl news -a url=https://…</code> or "
            "<code>make demo</code>), then run <code>scrapy report</code> again.</p></section>"
        )
        return _page(selection.title, head + body, charts=False)
    rows = site_rows(selection)
    parts = [head, _runs_table(selection), _failures(selection), _site_table(rows)]
    charts = _charts(selection, rows)
    if charts:
        parts.append("<h2>Charts</h2>")
        parts.extend(
            f"<figure class='chart' id='chart-{key}' data-chart='{key}'>{_plot(key, fig)}</figure>"
            for key, fig in charts
        )
    else:
        parts.append("<p class='note'>No per-site figures recorded for these runs (crawled "
                     "before newsclean kept them, or the crawl did not finish).</p>")  # fmt: skip
    return _page(selection.title, "\n".join(parts), charts=bool(charts))


def _runs_table(selection: Selection) -> str:
    lines = []
    for run in selection.runs:
        stats = run.stats
        duration = (
            f"{(run.finished_at - run.started_at).total_seconds():.0f} s"
            if run.finished_at
            else "did not finish"
        )
        failures = run.failures
        if run.checks is None:
            status, css = "not checked", ""
        elif failures:
            status, css = f"{len(failures)} failed", "fail"
        else:
            status, css = "ok", "ok"
        lines.append(
            f"<tr data-run='{run.id}'><td>{run.id}</td><td>{_when(run.started_at)}</td>"
            f"<td>{duration}</td><td class='n'>{stats.get('newsclean/pages', 0)}</td>"
            f"<td class='n'>{stats.get('newsclean/stored/articles', 0)}</td>"
            f"<td class='n'>{stats.get('newsclean/stored/unchanged', 0)}</td>"
            f"<td class='{css}'>{status}</td></tr>"
        )
    return ("<h2>Runs</h2><table id='runs'><thead><tr><th>run</th><th>started (UTC)</th>"
            "<th>took</th><th class='n'>pages</th><th class='n'>articles written</th>"
            "<th class='n'>unchanged</th><th>checks</th></tr></thead><tbody>"
            + "".join(lines) + "</tbody></table>")  # fmt: skip


def _failures(selection: Selection) -> str:
    found = [
        (run.id, f)
        for run in selection.runs
        for f in run.failures
        if selection.site is None or f.get("site") in (None, selection.site)
    ]
    if not found:
        checked = any(run.checks is not None for run in selection.runs)
        text = "All end-of-crawl checks passed." if checked else "No checks recorded."
        return f"<p class='checks ok' id='checks'>{text}</p>"
    items = "".join(
        f"<li class='fail' data-run='{run_id}' data-site='{_e(f.get('site') or '')}' "
        f"data-check='{_e(f.get('check', ''))}'><b>run {run_id} · {_e(f.get('check', ''))}"
        f"</b> — {_e(f.get('message', ''))}</li>"
        for run_id, f in found
    )
    return (f"<section class='checks fail' id='checks'><h2>{len(found)} failed "
            f"check{'s' if len(found) != 1 else ''}</h2><ul>{items}</ul></section>")  # fmt: skip


def _site_table(rows: Sequence[SiteRow]) -> str:
    if not rows:
        return "<p class='note'>No per-site figures for these runs.</p>"
    lines = []
    for row in rows:
        css = " class='fail'" if row.failures else ""
        title = f" title='{_e('; '.join(f['message'] for f in row.failures))}'" if css else ""
        f = row.figures
        cells = [
            ("pages", f.pages, str(f.pages)),
            ("articles", f.articles, str(f.articles)),
            ("comments", f.comments, str(f.comments)),
            ("skipped", f.skipped, _counts(f.skips)),
            ("median_words", f.median_words, _number(f.median_words)),
            ("comment_share", f.comment_share, _share(f.comment_share)),
            ("removals", sum(f.removals.values()), _counts(f.removals)),
            ("near_duplicates", f.near_duplicates, str(f.near_duplicates)),
        ]
        tds = "".join(
            f"<td data-metric='{name}' data-value='{'' if value is None else value}'>{text}</td>"
            for name, value, text in cells
        )
        lines.append(f"<tr data-site='{_e(row.site)}'{css}{title}><th>{_e(row.site)}</th>"
                     f"{tds}</tr>")  # fmt: skip
    return ("<h2>Sites</h2><table id='sites'><thead><tr><th>site</th><th class='n'>pages</th>"
            "<th class='n'>articles</th><th class='n'>comments</th>"
            "<th class='n'>skipped (by reason)</th><th class='n'>median words / article</th>"
            "<th class='n'>articles with comments</th>"
            "<th class='n'>removed lines (by family)</th><th class='n'>near-duplicates</th>"
            "</tr></thead><tbody>"
            + "".join(lines) + "</tbody></table>")  # fmt: skip


# --- charts -----------------------------------------------------------------------------


def _charts(selection: Selection, rows: Sequence[SiteRow]) -> list[tuple[str, go.Figure]]:
    if not rows:
        return []
    sites = [row.site for row in rows]
    timeline = [*selection.history, *selection.runs]
    charts = [
        ("articles-over-time", _articles_over_time(timeline, sites)),
        ("skip-reasons", _stacked(rows, "skips", "Skipped pages by reason", "pages")),
        ("word-counts", _word_counts(selection, rows)),
        ("comments-per-article", _comments(rows)),
        ("removal-families", _stacked(rows, "removals", "Removed lines by family", "lines")),
    ]
    return charts


def _plot(key: str, fig: go.Figure) -> str:
    return to_html(fig, full_html=False, include_plotlyjs=False, div_id=f"plot-{key}",
                   config={"displaylogo": False})  # fmt: skip


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=title, template="plotly_white", height=380, margin={"l": 60, "r": 20, "t": 50},
        legend={"orientation": "h", "y": -0.2}, yaxis_title=y_title,
    )  # fmt: skip
    return fig


def _articles_over_time(runs: Sequence[RunRecord], sites: Sequence[str]) -> go.Figure:
    # One category per run, in order: runs are evenly spaced however irregular the
    # schedule, and a single run is a point, not a zoom into milliseconds.
    labels = {run.id: f"run {run.id}<br>{run.started_at:%m-%d %H:%M}" for run in runs}
    fig = go.Figure()
    for site in sites:
        points = [(run, run.sites[site]) for run in runs if site in run.sites]
        fig.add_trace(go.Scatter(
            x=[labels[run.id] for run, _ in points], y=[f.articles for _, f in points],
            mode="lines+markers", name=site, marker={"size": 9},
            hovertemplate=f"%{{x}}<br>%{{y}} articles<extra>{site}</extra>",
        ))  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(labels.values()))
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, "Articles per run, per site", "articles")


def _stacked(rows: Sequence[SiteRow], attribute: str, title: str, unit: str) -> go.Figure:
    fig = go.Figure()
    counts = [getattr(row.figures, attribute) for row in rows]
    keys = sorted({key for per_site in counts for key in per_site})
    for key in keys:
        fig.add_trace(go.Bar(
            x=[row.site for row in rows], y=[per_site.get(key, 0) for per_site in counts],
            name=key,
        ))  # fmt: skip
    if not keys:  # still draw the axes, saying there is nothing
        fig.add_trace(go.Bar(x=[row.site for row in rows], y=[0] * len(rows), name="none"))
    fig.update_layout(barmode="stack")
    return _layout(fig, title, unit)


def _word_counts(selection: Selection, rows: Sequence[SiteRow]) -> go.Figure:
    fig = go.Figure()
    before_x, before_y, now_x, now_y = [], [], [], []
    for row in rows:
        earlier = sample_word_counts(
            w for run in selection.history if row.site in run.sites
            for w in run.sites[row.site].word_counts
        )  # fmt: skip
        before_x += [row.site] * len(earlier)
        before_y += earlier
        now_x += [row.site] * len(row.figures.word_counts)
        now_y += row.figures.word_counts
    if before_y:
        fig.add_trace(go.Box(x=before_x, y=before_y, name="earlier runs", marker_color="#9aa5b1"))
    fig.add_trace(go.Box(x=now_x, y=now_y, name="this report", marker_color="#1f77b4"))
    fig.update_layout(boxmode="group")
    return _layout(fig, "Words per article: this report against the site's earlier runs", "words")


def _comments(rows: Sequence[SiteRow]) -> go.Figure:
    figures = [row.figures for row in rows]
    fig = go.Figure(go.Bar(
        x=[row.site for row in rows],
        y=[round(f.comments / f.articles, 2) if f.articles else 0 for f in figures],
        text=[_share(f.comment_share) + " with comments" for f in figures],
        name="comments per article",
    ))  # fmt: skip
    return _layout(fig, "Comments per article", "comments per article")


# --- formatting -------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _counts(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "0"
    detail = ", ".join(f"{_e(k)} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{total} <span class='detail'>({detail})</span>"


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;
max-width:1200px;color:#1f2933;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#616e7c;margin:0 0 16px}table{border-collapse:collapse;width:100%}
th,td{padding:5px 8px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
thead th{background:#f5f7fa;font-weight:600}.n,td[data-metric]{text-align:right}
.detail{color:#616e7c;font-size:12px}tr.fail,tr.fail th{background:#fde8e8;color:#9b1c1c}
td.fail,.checks.fail{color:#b91c1c;font-weight:600}td.ok,.checks.ok{color:#057a55}
section.checks.fail{border:2px solid #e02424;background:#fdf2f2;padding:4px 16px;
border-radius:6px}li.fail{margin:4px 0}.chart{margin:16px 0;border:1px solid #e4e7eb;
border-radius:6px;padding:4px}.empty{padding:24px;background:#f5f7fa;border-radius:6px}
code{background:#f5f7fa;padding:1px 4px;border-radius:3px}
"""


def _page(title: str, body: str, *, charts: bool) -> str:
    script = f"<script>{get_plotlyjs()}</script>" if charts else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>newsclean — {_e(title)}</title><style>{_STYLE}</style>{script}</head>"
        f"<body>{body}</body></html>"
    )
