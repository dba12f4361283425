"""newsclean's Scrapy side: settings, items, the `news` spider, pipelines and commands."""
