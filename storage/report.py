"""Human-readable views of stored articles (for the demo command and quick checks)."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Article, Comment
from storage.store import Store


def most_commented_article_id(store: Store) -> int | None:
    """The article with the most comments (lowest id among ties), or None if there are no
    articles at all; an article without comments is returned when none has any."""
    comment_count = func.count(Comment.id)
    statement = (
        select(Article.id)
        .outerjoin(Comment, Comment.article_id == Article.id)
        .group_by(Article.id)
        .order_by(comment_count.desc(), Article.id)
        .limit(1)
    )
    with store.engine.connect() as connection:
        return connection.execute(statement).scalar_one_or_none()


def describe_article(store: Store, article_id: int | None) -> str:
    """Title, source, metadata, body and the comment thread (replies indented)."""
    if article_id is None:
        return "(no articles stored)"
    with store.engine.connect() as connection:
        article = connection.execute(select(Article).where(Article.id == article_id)).one()
        comments = connection.execute(
            select(Comment).where(Comment.article_id == article_id).order_by(Comment.position)
        ).all()
    lines = [
        f"# {article.title or '(no title)'}",
        f"url:       {article.url}",
        f"published: {article.published or '?'}   authors: {', '.join(article.authors) or '?'}",
        f"language:  {article.language or '?'}   words: {article.word_count}   "
        f"cleaner: v{article.cleaner_version}   removed lines: {len(article.removed)}",
        "",
        article.body,
        "",
        f"## {len(comments)} comments",
    ]
    depth: dict[int, int] = {}
    for comment in comments:
        parent = comment.parent_position
        depth[comment.position] = depth.get(parent, -1) + 1 if parent is not None else 0
        indent = "    " * depth[comment.position]
        when = f" ({comment.published})" if comment.published else ""
        lines.append(f"{indent}- {comment.author or 'anonymous'}{when}: {comment.text}")
    return "\n".join(lines)


def skipped_pages(store: Store) -> list[tuple[str, str, str | None]]:
    """(url, skip reason, detail) of every page that is not an article, by reason then URL."""
    from storage.models import Page

    statement = (
        select(Page.url, Page.skip_reason, Page.skip_detail)
        .where(Page.skip_reason.is_not(None))
        .order_by(Page.skip_reason, Page.url)
    )
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(statement)]
