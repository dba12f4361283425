"""The rule tables. One entry per family, rules ordered specific -> general.

Patterns are matched case-insensitively with `re.search` against one whitespace-collapsed
line. `max_words` is the guard that keeps a keyword rule off article prose: widget text
is short, a sentence that happens to say "share" or "cookie" is not. Anchors (`^...$`)
are used wherever the chrome is the whole line.

Where the patterns come from: the usual widgets of news CMSs and comment systems
(WordPress + wpDiscuz, Disqus, Discourse embeds, Facebook comments), social/share bars,
donation and membership banners, GDPR cookie prompts, and the footers/disclaimers of
syndicating sites. Nothing here is keyed to one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    max_words: int | None = None
    min_words: int | None = None
    note: str = field(default="", compare=False)


def _r(pattern: str, max_words: int | None = None, min_words: int | None = None) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE | re.UNICODE), max_words, min_words)


_SOCIAL = (
    r"facebook|twitter|x|youtube|soundcloud|rss|instagram|linkedin|pinterest|whatsapp|"
    r"telegram|reddit|e-?mail|print|share|tweet|messenger|flipboard|tumblr|vk|ok|gab|"
    r"google\+?|copy link|pocket|mail|sms|tiktok|snapchat|viber|line|weibo|wechat|"
    r"mastodon|threads|bluesky|digg|stumbleupon|skype|gettr|parler|minds|rumble|"
    r"comments?|feed|podcasts?|apple news|google news|spotify|itunes"
)
_TIME_UNIT = r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|months?|years?|yrs?)"
_CURRENCY = r"[$€£¥₽]"

FAMILIES: dict[str, tuple[Rule, ...]] = {
    # CSS icon-font / SVG sprite names dumped as text ("icon chevron downicon closeicon ...").
    "icon-sprite": (
        _r(
            r"(?:\bicon[\w-]*|\w+icon)\b(?:\W+\w+){0,3}?\W+(?:\bicon[\w-]*|\w+icon)\b"
            r"(?:.*?(?:\bicon[\w-]*|\w+icon)\b){2,}"
        ),
        _r(r"^(?:(?:fa|icon|glyphicon|ion|bi|mdi)[-_][\w-]+\s*){2,}$"),
    ),
    # Share/follow bars and share prompts.
    "share": (
        _r(rf"^(?:(?:{_SOCIAL})\b[\s,|·•/]*){{2,}}$"),
        _r(
            rf"^(?:(?:share|post|tweet|pin|send|email)(?: this| it)? (?:on|to|via|by) "
            rf"(?:{_SOCIAL})\b[\s,|·•/]*)+$"
        ),
        _r(
            r"^(?:share|share this|share it|share now|shares?|tweet|pin it|share on \w+|"
            r"share via \w+|email this|print this( page| article)?|send to a friend)\W*\d*$"
        ),
        # One share button a line, as flattenings leave them: a brand name is the same
        # word in every language ("Facebook" under "Distribuie:" or "Bagikan ini:").
        _r(
            r"^(?:facebook|twitter|whatsapp|pinterest|linkedin|telegram|reddit|tumblr|"
            r"flipboard|messenger|viber|vkontakte|xing|mastodon|bluesky)\W*$",
            1,
        ),
        _r(r"^share (?:this|the) (?:article|story|post|page|video)\b", 12),
        _r(r"\bshare (?:it|this|them)\b.{0,40}\b(?:friends?|family|network)\b", 20),
        _r(r"\b(?:click|use) the share buttons?\b", 40),
        _r(r"^(?:follow|like) us (?:on|at)\b", 15),
        _r(r"^(?:[\d.,]+[km]?\s*)?(?:shares?|tweets?|likes?|pins?)\W*$", 3),
        _r(r"\b(?:forward|crosspost|cross-post) this article\b", 40),
    ),
    # Donation / membership / fundraising banners and their counters.
    "donation": (
        _r(rf"^{_CURRENCY}\s*[\d.,]+\s*[km]?$|^[\d.,]+\s*[km]?\s*{_CURRENCY}$"),
        _r(r"^\d+ days? left\b", 12),
        _r(r"\b(?:patreon|paypal|ko-fi|gofundme|liberapay|buy me a coffee)\b", 60),
        _r(r"^(?:donate|donations?|make a donation|give now)\b", 30),
        _r(r"\bdonate (?:now|today|here|online|to (?:us|the (?:site|project|paper)|our))\b", 60),
        _r(r"\b(?:please|you can|consider|why not) (?:donat|support(?:ing)? us|chip)\w*", 60),
        _r(r"^support (?:us|our|the|independent|\w+ journalism)\b(?!.*[.!?]\s+\w)", 12),
        # "Support ProPublica": a bare name only; "Support and mentor future reps ..." is text
        _r(r"^support \w+(?: \w+)?\W*$", 3),
        _r(r"\bsupport (?:the|this|our) (?:project|site|work|journalism|newsroom)\b", 60),
        _r(r"\bbecome an? (?:member|patron|supporter|subscriber)\b", 25),
        _r(r"\bmake a (?:donation|contribution|gift)\b", 40),
        _r(
            r"\b(?:our|your) (?:work|journalism) (?:wouldn.t|would not|isn.t|is not) possible\b", 60
        ),
        _r(r"\bchip in\b", 25),
        _r(r"^support \S+(?: \S+)? (?:so|to|and|because|today|now)\b", 30),
    ),
    # Newsletter and e-mail sign-up prompts.
    "newsletter": (
        _r(r"\bnewsletters?\b", 30),
        _r(r"\b(?:sign|signing) up\b.{0,40}\b(?:e-?mail|inbox|updates|alerts|free)\b", 30),
        _r(r"\bin(?:to)? your inbox\b", 30),
        _r(r"\benter (?:your )?e-?mail\b", 25),
        _r(
            r"^(?:subscribe|subscribe now|subscribe today|get (?:our|the) (?:daily|weekly)\b.*)$",
            10,
        ),
        _r(r"\bsubscribe (?:to|for|now|today)\b", 20),
        _r(r"\b(?:news|breaking news|newsletter) (?:e-?mails|alerts)\W*$", 6),
        _r(r"\bactivation link\b|\bconfirm your (?:e-?mail|subscription)\b", 50),
        _r(
            r"\b(?:we )?(?:send|sends|get|receive) (?:you )?an? (?:daily |weekly )?"
            r"(?:e-?mail|newsletter)\b",
            25,
        ),
        _r(r"\bget (?:breaking )?news alerts\b", 30),
        _r(
            r"\b(?:news|stories|headlines|updates|reports|analysis)\b.{0,50}\bdelivered "
            r"(?:right |straight )?(?:to you|to your|every|each|weekday|daily|weekly)\b",
            30,
        ),
        _r(r"^(?:e-?mail(?: address)?|your e-?mail)\W*$", 3),
    ),
    # Cookie / consent / privacy prompts.
    "cookie": (
        _r(
            r"\b(?:use|uses|using|accept|enable|store|stores|set|sets|allow|about|of|disable|"
            r"block|manage) (?:of )?(?:\w+ )?cookies\b",
            60,
        ),
        _r(r"\bcookies? (?:policy|settings|preferences|notice|consent|banner|statement)\b", 60),
        _r(r"\bcookies?\b", 6),
        # The consent banner in any language: "cookie" plus the site / browsing it is about.
        _r(
            r"\bcookies?\b.{0,100}\b(?:site|website|sito|seite|webseite|sitio|navigation|"
            r"navigazione|navegación|browsing|browser|experience|esperienza|erfahrung)\b",
            60,
        ),
        # "... cookies (own and third-party) to improve ... / for advertising ...": the
        # purpose words of consent banners in the languages of the rule files.
        _r(
            r"\bcookies?\b.{0,120}\b(?:terceros|third[- ]part(?:y|ies)|dritt\w*|tiers|terzi|"
            r"derden|publicidad|advertising|werbung|publicité|pubblicità|publicidade|reklam\w*|"
            r"analytics|statisti\w*|mejorar|improve|améliorer|verbessern|migliorare|melhorar|"
            r"verbeteren|personali[sz]\w*)\b",
            60,
        ),
        _r(
            r"\b(?:by (?:continuing|using|browsing)|continued use)\b.{0,60}\b(?:site|website|"
            r"service)\b.{0,40}\b(?:agree|accept|consent)",
            70,
        ),
        _r(r"\bprivacy (?:policy|notice|settings|preferences)\b", 25),
        _r(
            r"^(?:accept(?: all)?|i agree|agree|ok(?:ay)?|got it|reject all|manage (?:options|"
            r"preferences|settings))\W*$"
        ),
        _r(r"\bterms (?:of (?:use|service)|and conditions)\b", 20),
    ),
    # Reader-comment widget chrome (wpDiscuz, Disqus, Facebook, Discourse, CMS forms).
    "comment-chrome": (
        _r(
            r"^(?:\d+|no|one|two|three|add|view|show|load|post|leave|write|see|read|hide|"
            r"discuss|join)?\s*(?:an?\s+|your\s+|all\s+|more\s+|new\s+)*(?:comments?|replies|reply|"
            r"responses?|reactions?|discussion)\b\W*(?:\(\d+\)|\d+)?\W*$"
        ),
        _r(
            r"^(?:notify of|notify me of\b.*|guest|oldest|newest|most voted|newest most voted|"
            r"oldest newest most voted|inline feedbacks|most popular|best|top|sort by\b.*|"
            r"sort|order by\b.*|flag|report|report abuse|like|dislike|upvote|downvote|"
            r"reply|respond|quote|edit|delete|permalink|login|log in|sign in|register)\W*$"
        ),
        _r(r"\b(?:view|load|show|see) (?:all|more|older|newer|\d+) (?:comments|replies)\b", 12),
        _r(r"\bwould love your thoughts\b", 12),
        _r(r"\b(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)\b", 15),
        _r(r"\b(?:log|sign) ?in to (?:comment|reply|post|join)\b", 15),
        _r(r"\bjoin the (?:discussion|conversation|debate)\b", 12),
        _r(r"\byou must be logged in\b", 20),
        _r(r"\b(?:your|the) e-?mail address will not be published\b", 25),
        _r(r"\brequired fields are marked\b", 20),
        _r(r"^(?:name|e-?mail|website|comment)\s*\*?\s*:?\s*\*?$"),
        _r(r"\bsave my name, email\b", 30),
        _r(r"\bthis site uses akismet\b", 30),
        _r(r"\bpowered by (?:disqus|wpdiscuz|discourse|viafoura|spot\.im|openweb)\b", 15),
        _r(r"^(?:in )?reply to\b", 6),
        _r(r"^(?:says|wrote|writes|commented)\s*:$"),
        _r(r"^\d+\s+(?:likes?|votes?|points?|replies|upvotes?|downvotes?)\W*$"),
        _r(rf"^(?:about |over )?(?:\d+|an?|one)\s+{_TIME_UNIT}\s+ago\W*$"),
        _r(r"^(?:just now|yesterday|moments? ago)\W*$"),
        # Placeholders where a comment was deleted or hidden (Disqus "This comment was
        # deleted.", Discourse "(post deleted by author)", "[removed]"): added for the
        # HTML comment extractors (cleaning/comments_html.py).
        _r(
            r"^\W*(?:this )?(?:comment|post|message|reply) (?:has been|was|is) "
            r"(?:deleted|removed|hidden)\b",
            20,
        ),
        _r(
            r"^\W*(?:post|comment) (?:deleted|withdrawn|hidden|removed) by (?:the )?"
            r"(?:author|moderators?|staff|community)\b",
            30,
        ),
        _r(r"^\W*(?:deleted|removed)\W*$"),
    ),
    # House rules printed around a comment thread.
    "comment-policy": (
        _r(
            r"\bcomments? (?:are|is|will be|may be) (?:moderated|reviewed|approved|closed|"
            r"subject to)\b",
            60,
        ),
        _r(r"\ball comments (?:represent|are|that|must|should)\b", 60),
        _r(r"\bviews? of the (?:commenter|commentator|poster)s?\b", 60),
        _r(
            r"\b(?:community|commenting|comment|discussion) "
            r"(?:guidelines|rules|policy|standards)\b",
            60,
        ),
        _r(
            r"\b(?:civili[sz]ed|respectful|civil|constructive)\b.{0,60}\b(?:discussion|"
            r"discourse|conversation|debate)\b",
            60,
        ),
        _r(
            r"\b(?:discussion|conversation)\b.{0,60}\b(?:civili[sz]ed|respectful|civil|"
            r"constructive)\b",
            60,
        ),
        _r(r"\bimprove the (?:discussion|conversation)\b", 60),
        _r(r"\b(?:spam|abusive|offensive) or (?:\w+ )?(?:inappropriate|off-topic)\b", 40),
        _r(r"^(?:always be civil|keep it civil|be nice|be respectful|be kind)\b", 10),
        _r(r"\bplease (?:be|keep it|stay) (?:respectful|civil|polite|on[- ]topic)\b", 80),
        _r(r"^(?:as|when|before) you (?:comment|post)\b", 80),
        _r(r"\b(?:other|fellow) (?:commenters|commentators|readers' views)\b", 80),
    ),
    # Editorial disclaimers and reuse notices.
    "disclaimer": (
        _r(r"^disclaimer\b"),
        _r(r"\bsole responsibility of the authors?\b"),
        _r(r"\b(?:views|opinions) expressed (?:in this|here|herein|are|by)\b", 80),
        _r(
            r"\bdo(?:es)? not (?:necessarily )?(?:reflect|represent) the (?:views|opinions|"
            r"position|policy)\b",
            80,
        ),
        _r(r"\bfair use\b.{0,80}\bcopyright|\bcopyrighted material\b"),
        _r(r"^note to (?:readers|our readers|editors)\b"),
        _r(r"^(?:for )?(?:media|press) (?:inquiries|enquiries|contact)\b", 15),
        _r(r"\b(?:grants?|granted) permission to (?:cross-?post|republish|reprint)\b"),
        _r(r"\bnot (?:be )?responsible for any (?:inaccurate|incorrect|errors)\b"),
        _r(r"\bstatements have not been evaluated by the food and drug administration\b"),
        _r(r"\bquotes (?:are )?delayed\b", 40),
        _r(r"^(?:forward-looking statements|safe harbou?r statement)\b"),
        _r(r"\b(?:contains|include|includes) forward-looking statements\b", 80),
    ),
    # Copyright / provenance lines.
    "copyright": (
        _r(r"©|\(c\)\s*\d{4}|\bcopyright\b", 40),
        _r(r"\ball rights reserved\b", 40),
        _r(r"^the original source of this article\b", 30),
        _r(
            r"^(?:this (?:article|story|post) (?:was |is )?(?:originally |first )?"
            r"(?:published|appeared|posted)|originally published (?:at|on|in|by))\b",
            30,
        ),
        _r(r"^\((?:image|photo|picture|foto|credit|source)s?(?: credit| source)?\s*:[^)]*\)$", 20),
        _r(r"^(?:image|photo|picture|foto)s? (?:credit|source|courtesy)s?\s*:", 20),
        # Captions that end in their credit, and bare credits.
        _r(r"\((?:photo|image|picture|video|foto)s?\s*(?:by|credit|courtesy|:)[^)]*\)\W*$", 80),
        _r(r"\bcredit\s*(?:\.\.\.|…|:)\s*[\w .,'/&-]{2,60}$", 80),
        _r(r"^(?:courtesy of|photo by|photograph by|image by|photos by)\b", 12),
        _r(
            r"^(?:source|image source|photo|image|picture|credit|photo credit|image credit|"
            r"featured image|top image|header image)s?\s*:",
            25,
        ),
        _r(
            r"\b(?:reproduction|republication|redistribution)\b.{0,60}\b(?:prohibited|"
            r"forbidden|without (?:prior )?(?:written )?permission)\b",
            60,
        ),
    ),
    # Author boxes and "more by" lists.
    "bio": (
        _r(r"^(?:reporting|writing|additional reporting|editing|research) by\b", 40),
        _r(
            r"^(?:written|edited|reviewed|medically reviewed|fact-?checked|produced|compiled|"
            r"illustrated) by\b",
            10,
        ),
        _r(r"^by\W*$"),
        # "Meg Doe is a reporter for the Daily Planet, covering ..." (author box text)
        _r(
            r"^(?!(?:he|she|it|they|this|that|there|who|what|which)\b)[A-Z][\w.'-]+"
            r"(?: [A-Z][\w.'-]+){0,3} (?:is|was) an? (?:[\w-]+ ){0,5}(?:reporter|writer|editor|"
            r"correspondent|journalist|columnist|contributor|freelancer|photographer|producer|"
            r"blogger|author)\b(?!['’])",
            80,
        ),
        _r(
            r"^(?:more |other |all |latest |recent )?(?:articles|posts|stories|columns|more|news)"
            r"\s+(?:by|from)\b\W*[\w .'-]*$",
            12,
        ),
        _r(r"^(?:about the author|author bio|about us|meet the author)\b", 12),
        _r(
            r"^(?:editor-in-chief|editor|senior editor|managing editor|staff writer|reporter|"
            r"senior reporter|correspondent|contributing (?:writer|editor)|columnist|"
            r"freelance (?:writer|journalist)|journalist|writer)\b(?!\s+(?:said|says|told|"
            r"wrote)\b)",
            15,
        ),
        _r(
            r"^(?:follow (?:him|her|them|the author)|contact the author|email the author|"
            r"view all posts by|see all posts by)\b",
            20,
        ),
    ),
    # Photo captions and credits (news-agency style), which readers see but gold bodies omit.
    "caption": (
        _r(
            r"^(?:in )?this (?:\w+\.? ){0,8}(?:file )?(?:photo|image|picture|handout|photograph|"
            r"video (?:image|still)|frame grab)\b",
            80,
        ),
        _r(r"\bfile (?:photo|image)\b", 80),
        _r(r"^an? artist'?s?’?s? (?:concept|impression|illustration|rendering)\b", 60),
        _r(
            r"^[\w.' -]{2,40}\s*/\s*(?:ap|afp|reuters|getty images|getty|epa|shutterstock|"
            r"the [\w ]+ times|bloomberg)(?: file| via [\w ]+)?\W*$",
            10,
        ),
        _r(
            r"^(?:getty(?: images)?|shutterstock|caption|submitted photo|"
            r"handout|file photo|stock photo)\W*$"
        ),
        _r(r"\bsubmitted photo\W*$", 10),
        _r(
            r"^\(\s*(?:ap|afp|reuters|getty|epa|upi|dpa)?\s*(?:photo|image|foto)s?\s*/[^)]*\)\W*$",
            12,
        ),
    ),
    # Advertising and commercial placements.
    "ads": (
        _r(
            r"^(?:advertisement|advertising|advert|ad|ads|sponsored|sponsored content|"
            r"promoted|promoted content|paid content|paid post|partner content|"
            r"ads by \w+|story continues below(?: advertisement)?|continue reading below|"
            r"scroll to continue(?: with content)?|article continues below|"
            r"content continues below)\W*$"
        ),
        _r(r"^get your (?:copy|free|issue|subscription|tickets?)\b", 15),
        _r(r"\b(?:vpn|coupon|promo code|discount code)\b.{0,30}\b(?:deal|offer|sale|off)\b", 12),
        _r(r"\b(?:deal|offer|sale)\b.{0,30}\b(?:vpn)\b", 12),
        _r(r"^(?:shop now|buy now|order now|learn more|sign up now|try (?:it )?free)\W*$"),
        # an ad network's label on its box ("inRead invented by Teads", "Recommended by Outbrain")
        _r(
            r"^(?:[\w-]+ )?(?:invented|recommended|ads|promoted|sponsored|powered) by "
            r"(?:teads|outbrain|taboola|revcontent|mgid|zergnet)\W*$",
            6,
        ),
    ),
    # Tag and category lists.
    "tags": (
        _r(
            r"^(?:tags?|tagged(?: with)?|topics?|filed under|categories|category|keywords|"
            r"related tags|related topics|subjects?|themes?|regions?|sections?|"
            r"more on|more about)\s*:",
            30,
        ),
        _r(r"^#\w+(?:\s+#\w+)+$"),
    ),
    # Site navigation, breadcrumbs, pagination, layout words.
    "nav": (
        _r(
            r"^(?:home|menu|main menu|search|skip to (?:main )?content|skip navigation|"
            r"toggle navigation|navigation|open menu|close menu|close|open|back to top|"
            r"top|next|previous|prev|next article|previous article|next post|previous post|"
            r"more|see more|show more|view more|load more|all news|latest news|sections|"
            r"you are here|you are at|breadcrumbs?|go to|jump to|expand|collapse|"
            r"log out|sign out|my account|account|profile|settings|subscribe|subscribers?|"
            r"listen|listen to (?:this )?article|play|pause|mute|unmute|full screen|"
            r"watch|video|photos?|gallery|page \d+(?: of \d+)?|\d+ of \d+|"
            r"text size|font size|a\+?|a-|print|font|lang(?:uage)?|en|english)\W*$"
        ),
        _r(r"^(?:you are (?:here|at)|breadcrumbs?)\s*:", 20),
        # A bare contact address or phone number on its own line (press contacts, footers).
        _r(r"^(?:e-?mail|tel(?:ephone)?|phone|fax)?\s*:?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\W*$"),
        _r(
            r"^(?:[\w'’&.-]+(?: [\w'’&.-]+){0,3}\s*(?:\||»|›|>|/|·|•)\s*){2,}[\w'’&.-]+"
            r"(?: [\w'’&.-]+){0,3}\s*$",
            25,
        ),
        _r(r"^(?:read|continue reading|keep reading|read the full (?:story|article))\W*$"),
        _r(r"^(?:image|photo|slide|picture|foto) \d+ (?:of|/) \d+\W*$"),
        _r(r"^back to (?:gallery|top|article|home|story|list)\W*$"),
    ),
    # "Read more" links and inline related headlines.
    "related": (
        _r(
            r"^(?:read more|read also|also read|see also|also see|related|more from|"
            r"recommended(?: for you)?|you may (?:also )?like|you might (?:also )?like|"
            r"you may also be interested in|more stories|more news|most read|most popular|"
            r"most viewed|trending(?: now)?|popular(?: now| posts| stories)?|further reading|"
            r"read next|up next|what to read next|don'?t miss|editor'?s picks?|"
            r"related (?:articles?|stories|posts|coverage|content|news|reading|links|videos?)|"
            r"more in|more on this|more like this|latest|latest stories|top stories|"
            r"also on|in case you missed it|recent posts|featured|must read)\b",
            30,
        ),
        _r(r"\bread more\b.{0,30}\b(?:at|on|here)\b\W*", 15),
        _r(r"^more (?:\w+ ){0,3}(?:stories|news|articles|videos|reads)\W*$", 6),
        _r(r"^(?:click|tap) here\b", 20),
    ),
    # Non-text fragments: counters, bullets, stray symbols, lone letters.
    "fragment": (
        _r(r"^[\W\d_]*$"),
        _r(r"^\W*[a-z]\W*$"),
    ),
}


# Lines that open a comment thread on their own (a lone "Comments" or "Reply" may be a
# share-bar button; these are not; "[ 167 comments ]" is a markdown link's brackets around
# one). Used with COMMENT_ZONE to find where the thread starts.
THREAD_OPENERS: tuple[Rule, ...] = (
    _r(
        r"^[\W_]*(?:[1-9]\d*|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:comments?|responses?|"
        r"replies|reactions|thoughts)(?:\s+(?:on|to)\b.*)?\W*$",
        20,
    ),
    _r(r"^(?:comments?|responses?|discussion)\s*\([1-9]\d*\)\W*$"),
    _r(r"\b(?:leave|post|add|write|submit) (?:a|your) (?:comment|reply|response)\b", 15),
    _r(r"^notify of\b", 6),
    _r(r"\b(?:view|load|show|see) (?:all|more|older|newer|\d+) (?:comments|replies)\b", 12),
    _r(r"\bwould love your thoughts\b", 12),
    _r(r"\bjoin the (?:discussion|conversation|debate)\b", 12),
    _r(r"\b(?:your|the) e-?mail address will not be published\b", 25),
    _r(r"^inline feedbacks\W*$"),
    _r(r"\b(?:log|sign) ?in to (?:comment|reply|post|join)\b", 15),
    _r(r"\byou must be logged in\b", 20),
)


# The "credit" family: photo and news agencies whose name alone on a line, or after a
# photographer's name and a slash ("Noel Celis/Getty Images"), credits a picture. Entries
# are regular-expression pieces matched case-insensitively against one whole part of the
# credit; the shape of a credit (names joined by slashes) is `clean_text`'s to judge.
PHOTO_AGENCIES: tuple[str, ...] = (
    "afp", "ap", "dpa", "reuters", "getty(?: images)?", "epa(?:-efe)?", "efe", "keystone",
    "imago(?: images)?", "picture[- ]alliance", "anp", "ansa", "europa press",
    "ritzau scanpix", "scanpix", "ntb", "tt", "shutterstock", "istock", "xinhua", "kyodo",
    "yonhap", "pap", "tass", "anadolu", "lusa", "belga", "apa", "sda", "bloomberg", "čtk",
    "ctk", "mti",
)  # fmt: skip
