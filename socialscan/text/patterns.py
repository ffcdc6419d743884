"""The text patterns stages share, each written once: links, handles, tags, months, recent times,
thread numbering.

Pattern sources (``str``) are kept where other patterns are built from them; compiled patterns
end in ``_RE``. Where two readers need a different shape of one thing (a strict and a loose
handle), both shapes are here, each named for what it matches, so that a rule changes in one
place and a reader sees which variant a stage uses.

Examples:
    >>> THREAD_NUMBER_RE.search("Big news 2/5") is not None, MENTION_RE.findall("hi @ann")
    (True, ['ann'])
"""

from __future__ import annotations

import re

# -- links -------------------------------------------------------------------------------------
# Links written without a scheme, as X itself displays them ("github.com/openai/evals",
# "pic.twitter.com/AbC", "openai.com"). twitter-text's rule, with its TLD list cut to the ones
# links in posts use: a generic TLD (and the country ones used as such: .io, .ai, .co, ...)
# with or without a path; any other listed country TLD only with a path, so that "config.py"
# or "Node.js/Deno" are not links (.js is no TLD). A host starts at a word's start, not after
# an "@", "." or "/" (an e-mail address, a file's path) nor after "#" or "$" ("#Fetch.ai" is a
# hashtag), and ends at a word boundary. The TLD is written in small letters: "it.So" is a
# missing space, not a link.
_GENERIC_TLDS = (
    "com|org|net|edu|gov|info|biz|app|dev|xyz|io|ai|co|me|ly|gg|tv|fm|blog|news|tech|"
    "site|online|store|shop|link|page|art|club|live|social|space|pro|cloud"
)
_COUNTRY_TLDS = (
    "uk|de|fr|it|es|nl|be|ch|at|se|no|dk|fi|ie|pt|pl|cz|gr|hu|ro|ua|ru|eu|us|ca|mx|br|ar|cl|"
    "au|nz|jp|cn|kr|tw|hk|sg|in|id|ph|my|th|vn|za|ng|ke|il|tr|ae|sa|pk|bd|la|im|is|gl|gd|cc|"
    "ws|vc|tk|fyi|am|sh|so|to"
)
_HOST = r"(?<![\w@＠#＃$.:/\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
_BARE_URL = (
    rf"{_HOST}(?-i:(?:{_GENERIC_TLDS})(?![\w-])(?!\.\w)(?:/[^\s<>\"'`]*)?"
    rf"|(?:{_COUNTRY_TLDS})(?![\w.-])/[^\s<>\"'`]*)"
)
_SCHEME = r"(?:https?://|www\.)"
_SCHEMED = rf"{_SCHEME}[^\s<>\"'`]+"
#: A link with a scheme or from ``www.``.
SCHEMED_URL_RE = re.compile(_SCHEMED, re.IGNORECASE)
#: A link: with a scheme, from ``www.``, or bare (see ``_BARE_URL``).
URL_RE = re.compile(rf"{_SCHEMED}|{_BARE_URL}", re.IGNORECASE)
#: A line of links alone (the bare ones only as far as URL_RE reads them, then white space).
URL_ONLY_RE = re.compile(rf"^\s*(?:(?:{_SCHEME}\S+|(?:{_BARE_URL})(?!\S))\s*)+$", re.IGNORECASE)
#: What every bare link holds, a dot and two small letters (".com", ".co/"): a scan that starts
#: with a literal, fast, before the full pattern.
DOT_TLD_RE = re.compile(r"\.[a-z]{2}")
#: A post's own address, as a stamp above or under it: X / Twitter (and mirrors), Bluesky,
#: Mastodon (groups ``user``/``id``, ``bsky``/``bid``, ``masto``/``mid``).
STATUS_URL_RE = re.compile(
    r"^(?:https?://)?(?:www\.|mobile\.)?(?:"
    r"(?:twitter|x|fxtwitter|vxtwitter|nitter\.[\w.]+)\.?(?:com|net)?/(?P<user>\w{1,15})"
    r"/status(?:es)?/(?P<id>\d{1,20})"
    r"|bsky\.app/profile/(?P<bsky>[\w.-]+)/post/(?P<bid>\w+)"
    r"|[\w-]+(?:\.[\w-]+)+/@(?P<masto>\w+)/(?P<mid>\d{6,20}))(?:[/?#]\S*)?$",
    re.IGNORECASE,
)

# -- handles and tags --------------------------------------------------------------------------
# twitter-text's rules: a handle is 1-15 word characters not preceded by a word character or
# "@"; a hashtag needs a letter; a cashtag is 1-6 letters with an optional ".X" suffix. Each
# pattern starts with its sigil, then looks behind it (sigil included) for a word character or
# the like: the same matches as a look-behind first, but the regex engine can skip to the next
# sigil instead of testing the look-behind at every position.
#: A handle after its ``@``: an X one, or a fediverse one (``user@instance.social``).
HANDLE = r"(?:\w{1,15}(?![\w@＠])|\w{1,30}[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@＠-]))"
#: :data:`HANDLE` with its ``@`` (group 1: the handle).
AT_HANDLE = rf"[@＠]({HANDLE})"
#: :data:`AT_HANDLE`, or a Bluesky handle, which is a domain (``@name.bsky.social``): the
#: handles a copied timeline's headers show (group 1).
AT_HANDLE_OR_DOMAIN = rf"[@＠]({HANDLE}|\w[\w-]*(?:\.[\w-]+)+)"
MENTION_RE = re.compile(rf"[@＠](?<![\w@＠!#$%&*/][@＠])({HANDLE})", re.ASCII)
HASHTAG_RE = re.compile(r"[#＃](?<![\w&#＃/][#＃])(\w*[^\W\d_]\w*)")
CASHTAG_RE = re.compile(r"\$(?<![\w$/]\$)([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")
#: The handles a reply opens with (group 1: all of them).
LEADING_HANDLES_RE = re.compile(rf"^\s*((?:[@＠]{HANDLE}\s+)*[@＠]{HANDLE})(?=\s|$)", re.ASCII)
#: A retweet's text as the v1.1 API and scrapers give it: "RT @handle: ..." (group 1: handle).
RETWEET_RE = re.compile(r"RT [@＠](\w{1,15}):")
#: Any ``@word`` not inside a word, of any length, ASCII ``@`` only: what topic terms leave
#: out (looser than :data:`MENTION_RE`, so that no piece of a handle becomes a term).
LOOSE_MENTION_RE = re.compile(r"(?<!\w)@\w+")
#: Any ``#word`` not inside a word, digits alone included (group 1: the tag's body): the tags
#: topic terms spell out.
LOOSE_HASHTAG_RE = re.compile(r"(?<!\w)#(\w+)")

# -- dates and times ---------------------------------------------------------------------------
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
#: A month's name or abbreviation ("Mar", "March", "Sept."): up to September's length.
MONTH = rf"{_MONTH_ABBR}[a-z]{{0,6}}\.?"
#: A word that opens with a month's abbreviation, however long: a copied header's date.
MONTH_WORD = rf"{_MONTH_ABBR}[a-z]*\.?"
#: The time the X web app shows at a recent post ("2h", "5 mins", "10 secs").
RECENT_TIME = r"\d{1,2}\s?(?:s|m|h|d|sec|secs|min|mins|hr|hrs)"
#: :data:`RECENT_TIME` without the spelt-out seconds: the times a scraper's author line ends
#: with ("Sam Altman (@sama) · 2h").
RECENT_TIME_NO_SECS = r"\d{1,2}\s?(?:s|m|h|d|min|mins|hr|hrs)"
#: A line that is only a recent post's age in the app's short form ("2h", "5d", "3w"); a date
#: alone is a scraper's stamp as likely.
AGE_LINE_RE = re.compile(r"^\d{1,2}\s?(?:s|m|h|d|w)$")

# -- thread numbering --------------------------------------------------------------------------
#: The thread emoji.
THREAD_EMOJI = "🧵"


def _n_of(n: str = r"\d{1,2}", of: str = r"\d{0,2}") -> str:
    """A tweet's place in its thread: "2/5", "2/", "(2/5)"."""
    return rf"\(?{n}\s*/\s*{of}\)?"


_NUMBER = r"(\d{1,2})"  # as a group
_COUNT = r"(?:\d{1,2})?"
#: Thread numbering anywhere in a line, as a word ("2/5", "(3/)").
THREAD_NUMBER = rf"(?:^|\s){_n_of()}(?:\s|$)"
#: :data:`THREAD_NUMBER` or the thread emoji.
THREAD_NUMBER_RE = re.compile(rf"{THREAD_NUMBER}|{THREAD_EMOJI}")
#: The first tweet's numbering ("1/3", "(1/5)", "1/") or the thread emoji.
THREAD_START_RE = re.compile(rf"(?:^|\s){_n_of('1')}(?:\s|$)|{THREAD_EMOJI}")
#: A line that opens with its numbering (group 1: its number).
THREAD_OPENING_RE = re.compile(rf"^{_n_of(_NUMBER, _COUNT)}(?:\s|$)")
#: A post's thread mark: numbering that ends a line (groups 1 and 2: number and count) or
#: opens it (group 3: number), or the thread emoji.
THREAD_MARK_RE = re.compile(
    rf"(?:^|\s){_n_of(_NUMBER, _NUMBER + '?')}\s*$|^\s*{_n_of(_NUMBER)}\s|{THREAD_EMOJI}"
)
