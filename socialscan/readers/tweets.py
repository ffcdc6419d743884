"""Normalising one tweet object (API v2, v1.1, X archive, snscrape) into a :class:`Post`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..records import Post
from ..text import entities as ent
from ..text.patterns import RETWEET_RE


def _s(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def _v1_time(value: str | None) -> str | None:
    """``Wed Oct 10 20:19:24 +0000 2018`` -> ISO 8601; ISO strings pass through."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC).isoformat()
    except ValueError:
        return str(value)


_TEXT_KEYS = ("text", "full_text", "fullText", "rawContent", "renderedContent")


def is_tweet(obj: Any) -> bool:
    """True for a dict that carries tweet text in any of the known shapes."""
    return (
        isinstance(obj, dict)
        and any(k in obj for k in _TEXT_KEYS)
        and ("id" in obj or "id_str" in obj)
    )


@dataclass
class Includes:
    """What a v2 page carries beside its tweets: ``id -> user`` (for author handles) and
    ``id -> tweet`` (the full text of the tweets its retweets cut short)."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    tweets: dict[str, dict[str, Any]] = field(default_factory=dict)


def _full_text(t: dict[str, Any]) -> str:
    return (
        (t.get("note_tweet") or {}).get("text")
        or (t.get("extended_tweet") or {}).get("full_text")
        or t.get("full_text")
        or t.get("fullText")  # camelCase exports (Apify and the like)
        or t.get("text")
        or ""
    )


def _retweeted(
    t: dict[str, Any], text: str, refs: dict[str | None, str | None], tweets: dict[str, Any]
) -> tuple[str, dict[str, Any] | None]:
    """A retweet's text with the retweeted post in full, and that post: the API cuts it at 140
    characters ("RT @x: ...…") and gives it whole in ``retweeted_status`` (v1.1) or
    ``includes.tweets`` (v2). ``None`` when the text is the tweet's own."""
    m = RETWEET_RE.match(text)
    if not m:
        return text, None
    original = t.get("retweeted_status") or tweets.get(refs.get("retweeted") or "")
    full = _full_text(original) if isinstance(original, dict) else ""
    return (f"RT @{m.group(1)}: {full}", original) if full else (text, None)


def _entities(t: dict[str, Any]) -> dict[str, Any]:
    """The entities of a tweet's full text (a long post's, an extended tweet's, its own)."""
    entities = t.get("entities") or {}
    if isinstance(t.get("extended_tweet"), dict):
        entities = t["extended_tweet"].get("entities") or entities
    if isinstance(t.get("note_tweet"), dict):
        entities = t["note_tweet"].get("entities") or entities
    return entities if isinstance(entities, dict) else {}


def _expansions(*tweets: dict[str, Any] | None) -> dict[str, str]:
    """``short link -> expanded URL`` from every entity list the tweets carry (links and
    media, the tweet's own and its extended or long form)."""
    out: dict[str, str] = {}
    for tw in tweets:
        if not isinstance(tw, dict):
            continue
        lists = [tw.get("entities"), tw.get("extended_entities")]
        for key in ("extended_tweet", "note_tweet"):
            if isinstance(tw.get(key), dict):
                lists += [tw[key].get("entities"), tw[key].get("extended_entities")]
        for entities in lists:
            if not isinstance(entities, dict):
                continue
            for u in [*(entities.get("urls") or []), *(entities.get("media") or [])]:
                if isinstance(u, dict) and u.get("url") and u.get("expanded_url"):
                    out.setdefault(u["url"], u["expanded_url"])
    return out


def _links(t: dict[str, Any], shown: dict[str, Any], text: str) -> list[str]:
    """The links of the text shown (``shown``: the tweet it is from, the retweeted one for a
    retweet), expanded where the input says what a short link stands for."""
    links = [
        u.get("expanded_url") or u.get("url")
        for u in _entities(shown).get("urls") or []
        if isinstance(u, dict)
    ]
    links = [u for u in links if u]
    short = {u.get("url") for u in _entities(shown).get("urls") or [] if isinstance(u, dict)}
    expand = _expansions(shown, t) if shown is not t else _expansions(t)
    for u in ent.extract_links(text):
        if u not in short and u not in links:
            u = expand.get(u, u)
            if u not in links:
                links.append(u)
    return links


def tweet_to_post(
    t: dict[str, Any],
    *,
    source: str,
    line_start: int,
    line_end: int,
    users: dict[str, dict[str, Any]] | None = None,
    tweets: dict[str, dict[str, Any]] | None = None,
) -> Post:
    """Turn one tweet dict into a Post, whatever API produced it.

    Args:
        t: The tweet object.
        source: Where it came from.
        line_start: First input line holding it.
        line_end: Last input line holding it.
        users: ``id -> user`` from a v2 page's ``includes.users``, for author handles.
        tweets: ``id -> tweet`` from a v2 page's ``includes.tweets``: a retweet's text is
            given with the retweeted post in full.
    """
    users = users or {}
    if "rawContent" in t or "renderedContent" in t:  # snscrape
        return _snscrape(t, source, line_start, line_end)
    # v2 has author_id / note_tweet; v1.1 and archives have full_text, user, id_str
    refs = {r.get("type"): _s(r.get("id")) for r in t.get("referenced_tweets") or []}
    text, original = _retweeted(t, _full_text(t), refs, tweets or {})
    text = ent.decode_entities(text)  # the API escapes & < >
    tid = _s(t.get("id_str") or t.get("id"))
    user = t.get("user") or t.get("author") or users.get(str(t.get("author_id")), {}) or {}
    author = user.get("screen_name") or user.get("username") or user.get("userName")
    in_reply = (
        _s(t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id"))
        or refs.get("replied_to")
        or _s(t.get("inReplyToId") or t.get("inReplyToStatusId"))
    )
    quoted = _s(t.get("quoted_status_id_str") or t.get("quoteId")) or refs.get("quoted")
    links = _links(t, original if original is not None else t, text)
    retweet = (
        "retweeted" in refs
        or isinstance(t.get("retweeted_status"), dict)
        or t.get("isRetweet") is True  # Apify and like exports
    )
    reply_to = ent.leading_handles(text)
    reply_user = t.get("in_reply_to_screen_name") or t.get("inReplyToUsername")
    if not reply_user and t.get("in_reply_to_user_id"):
        reply_user = users.get(str(t["in_reply_to_user_id"]), {}).get("username")
    if reply_user and reply_user not in reply_to:
        reply_to = [reply_user, *reply_to]
    kind = "reply" if (in_reply or reply_to) else "post"
    return Post(
        id=tid or "",
        kind=kind,
        text=text,
        line_start=line_start,
        line_end=line_end,
        source=source,
        links=links,
        **ent.text_entities(text),
        reply_to=reply_to,
        tweet_id=tid,
        author=author,
        author_id=_s(t.get("author_id") or user.get("id_str") or user.get("id")),
        created_at=_v1_time(t.get("created_at") or t.get("createdAt")),
        in_reply_to_id=in_reply,
        quoted_id=quoted,
        conversation_id=_s(t.get("conversation_id") or t.get("conversationId")),
        lang=_s(t.get("lang")),
        is_retweet=retweet,
    )


def _snscrape(t: dict[str, Any], source: str, line_start: int, line_end: int) -> Post:
    text = t.get("rawContent") or t.get("renderedContent") or t.get("content") or ""
    text = ent.decode_entities(text)
    tid = _s(t.get("id"))
    user = t.get("user") or {}
    links = [lk.get("url") for lk in t.get("links") or [] if isinstance(lk, dict)]
    links = [u for u in links if u] or list(t.get("outlinks") or []) or ent.extract_links(text)
    reply_to = ent.leading_handles(text)
    ru = (t.get("inReplyToUser") or {}).get("username")
    if ru and ru not in reply_to:
        reply_to = [ru, *reply_to]
    in_reply = _s(t.get("inReplyToTweetId"))
    quoted = t.get("quotedTweet")
    return Post(
        id=tid or "",
        kind="reply" if (in_reply or reply_to) else "post",
        text=text,
        line_start=line_start,
        line_end=line_end,
        source=source,
        links=links,
        **ent.text_entities(text),
        reply_to=reply_to,
        tweet_id=tid,
        author=user.get("username"),
        author_id=_s(user.get("id")),
        created_at=_s(t.get("date")),
        in_reply_to_id=in_reply,
        quoted_id=_s(quoted.get("id")) if isinstance(quoted, dict) else None,
        conversation_id=_s(t.get("conversationId")),
        lang=_s(t.get("lang")),
        is_retweet=isinstance(t.get("retweetedTweet"), dict),
    )
