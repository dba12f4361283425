"""Custom `scrapy` commands (COMMANDS_MODULE = "spiders.commands"): one Command per file."""
