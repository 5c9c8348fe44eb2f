"""Rules for lines that are not article body: kept, but not translated.

Scraped articles carry the page around them: site banners, datelines,
ad placeholders, image file names, photo credits, the source line, the
comment counter, and after the article the related-article lists and the
site's menus. Each rule below was written for what the seeds really hold
and returns a reason code; everything else is body, including short
headings ("Fokus pada mobilisasi massa pemerintah", "Menuju pangkalan"),
which are translated.

Reason codes: url, source_line, comment_counter, ad_placeholder,
image_file, site_banner, dateline, placeholder, advertisement (an ad's
label, alone or before the ad), navigation (a related-
story label, alone or before its headline), photo_caption (a line that
ends with its credit in brackets), social (the site's channels: three
networks, or one and an e-mail address), url_label (a URL with a short
label: donation and social lines), byline, page_footer (a line after the
article's end), photo_credit (a sentence). A reader may mark a line from
the page's structure too (``link_line``: ``toolkit.io.formats.html``).

Two rules look at the document rather than the line:

* the page footer: once a comment counter or a "related articles"
  heading appears in the second half of the document, every later line is
  page furniture (related headlines, category menus). In the first half
  such a line is marked alone, so a counter at the top of a page cannot
  swallow the article;
* the byline: a short line without punctuation or digits right before the
  source line ("ทู ฮา" before "แหล่งที่มา") is the author's name.
"""

from __future__ import annotations

import re

_WORD_LISTS = {
    "source": [
        "sumber",
        "fonte",
        "fontes",
        "kilde",
        "kilder",
        "ที่มา",
        "แหล่งที่มา",
        "แหล่งข่าว",
        "source",
        "nguồn",
    ],
    "comment": [
        "komentar",
        "comentário",
        "comentários",
        "comentarios",
        "kommentar",
        "kommentarer",
        "การแสดงความคิดเห็น",
        "ความคิดเห็น",
        "bình luận",
        "comment",
        "comments",
    ],
    "navigation": [
        # nb
        "i samme emne",
        "i samme kategori",
        "av samme forfatter",
        "les også",
        "les mer",
        "relaterte artikler",
        "relaterte saker",
        "mest lest",
        "siste nytt",
        # id
        "baca juga",
        "berita terkait",
        "artikel terkait",
        "dalam topik yang sama",
        "dalam kategori yang sama",
        "dari penulis yang sama",
        "berita lainnya",
        "terpopuler",
        # pt
        "leia também",
        "leia mais",
        "veja também",
        "notícias relacionadas",
        "no mesmo tópico",
        "no mesmo tema",
        "na mesma categoria",
        "do mesmo autor",
        "mais lidas",
        # th
        "ข่าวที่เกี่ยวข้อง",
        "อ่านเพิ่มเติม",
        "ในหัวข้อเดียวกัน",
        "ในหมวดหมู่เดียวกัน",
        "จากผู้เขียนคนเดียวกัน",
        "ข่าวล่าสุด",
        "เรื่องที่เกี่ยวข้อง",
        # pt, es, fr, de (the pages of other languages that come with --from)
        "saiba mais",
        "mirá también",
        "lea también",
        "ver también",
        "à lire aussi",
        "lire aussi",
        "mehr zum thema",
        "auch interessant",
        "se også",
        # vi, en
        "cùng chủ đề",
        "cùng chuyên mục",
        "cùng tác giả",
        "tin liên quan",
        "đọc thêm",
        "related",
        "related articles",
        "read more",
        "read also",
        "in the same topic",
        "in the same category",
        "by the same author",
        "most read",
    ],
    # An advertisement's label, alone or before the ad ("ANZEIGE - Heute mal ausgehen?").
    "advertisement": [
        "anúncio",
        "publicidade",
        "publicidad",
        "publicité",
        "anzeige",
        "werbung",
        "advertisement",
        "sponsored",
        "patrocinado",
        "iklan",
        "annonse",
        "reklame",
        "โฆษณา",
        "quảng cáo",
    ],
    "placeholder": [
        "no data",
        "no videos available",
        "no video available",
        "không có dữ liệu",
        "tidak ada data",
        "sem dados",
        "ingen data",
        "ไม่มีข้อมูล",
        "loading...",
    ],
}


def _alternatives(key: str) -> str:
    return "|".join(re.escape(w) for w in sorted(_WORD_LISTS[key], key=len, reverse=True))


_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# "Sumber", "Fonte: https://...", "Kilde: baoquangnam.vn", "ที่มา: Kinh te do thi".
# A bare word, or the word + colon + a URL or a short name. "Sumber daya alam ..."
# (natural resources) has no colon and stays body.
_SOURCE = re.compile(rf"^(?:{_alternatives('source')})\s*(?:[:：]\s*(?:\S+|.{{1,60}}))?\s*[.:]?$", re.IGNORECASE)
_COMMENT = re.compile(rf"^(?:{_alternatives('comment')})\s*\(\s*\d+\s*\)$", re.IGNORECASE)
# "[anúncio_2]", "[annonse_1]", "[iklan_1]", "[quảng_cáo_2]"
_AD = re.compile(r"^\[\s*[^\W\d_]+(?:[_ ][^\W\d_]+)*[_ ]?\d*\s*\]$")
_IMAGE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic)$", re.IGNORECASE)
# "Vietnam.vn - Nền tảng quảng bá Việt Nam": a domain, a dash, a tagline.
_BANNER = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\s+[-–—|:]\s+\S.{0,80}$", re.IGNORECASE)
# "Việt NamViệt Nam07/01/2025", "Thứ Hai, 07/01/2025 10:30 (GMT+7)"
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_NAVIGATION = re.compile(rf"^(?:{_alternatives('navigation')})\s*:?$", re.IGNORECASE)
_ADVERTISEMENT = re.compile(rf"^(?:{_alternatives('advertisement')})\s*(?:$|[»:|>›–—-]\s*\S)", re.IGNORECASE)
_PLACEHOLDER = re.compile(rf"^(?:{_alternatives('placeholder')})$", re.IGNORECASE)
# "Foto: TAM DAN", "(Foto: Reuters)", "Ảnh: Minh Anh", "ภาพ: ..."
_PHOTO_CREDIT = re.compile(r"^\(?(?:foto|photo|ảnh|ภาพ|fotografia|bilde)\s*[:：]\s*[^.!?]{1,60}\)?\.?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…]$")
# "À lire aussi » Ballonnements...", "Leia também: ...", "Saiba mais | ...": a related-story label and its headline.
_RELATED = re.compile(rf"^(?:{_alternatives('navigation')})\s*[»:|>›–—-]\s*\S", re.IGNORECASE)
# A caption: a line that ends with its photo's credit in brackets, "... en el Congreso (Foto: Natacha Pisarenko)."
_CAPTION = re.compile(
    r"[(\[](?:foto|fotos|photo|photos|crédito|credito|credit|imagem|imagen|image|bilde|ảnh|ภาพ)\b\s*[:：]?[^()\[\]]{1,80}[)\]]\.?$",
    re.IGNORECASE,
)
# The site's own channels: "Puede escribirnos a x@y.com o seguir a Materia en Facebook, Twitter, Instagram".
_NETWORKS = re.compile(
    r"\b(?:facebook|twitter|instagram|youtube|tiktok|whatsapp|telegram|linkedin|threads|bluesky|line)\b", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ANY_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# What a label beside a URL may hold ("โอนเงิน PayPal คลิกที่นี่ https://...", "Doe: https://...").
LABEL_MAX_CHARS = 60


def line_reason(line: str) -> str | None:
    """The reason a single (stripped) line is not body, or None if it is body."""
    if _URL.match(line):
        return "url"
    if _COMMENT.match(line):
        return "comment_counter"
    if _SOURCE.match(line):
        return "source_line"
    if _AD.match(line):
        return "ad_placeholder"
    if _IMAGE.match(line):
        return "image_file"
    if _NAVIGATION.match(line):
        return "navigation"
    if _PLACEHOLDER.match(line):
        return "placeholder"
    if _ADVERTISEMENT.match(line):
        return "advertisement"
    if _RELATED.match(line):
        return "navigation"
    if _CAPTION.search(line):
        return "photo_caption"
    networks = {m.lower() for m in _NETWORKS.findall(line)}
    if len(networks) >= 3 or (networks and _EMAIL.search(line)):
        return "social"
    if _ANY_URL.search(line) and len(_ANY_URL.sub("", line).strip()) <= LABEL_MAX_CHARS:
        return "url_label"
    if len(line) <= 100 and _BANNER.match(line):
        return "site_banner"
    if len(line) <= 60 and len(line.split()) <= 8 and _DATE.search(line) and not _SENTENCE_END.search(line):
        return "dateline"
    return None


def sentence_reason(sentence: str) -> str | None:
    """The reason a sentence inside a body line is not body (a photo credit), or None."""
    if _PHOTO_CREDIT.match(sentence):
        return "photo_credit"
    return None


def _is_byline(line: str) -> bool:
    return (
        len(line) <= 30
        and len(line.split()) <= 4
        and not any(ch.isdigit() for ch in line)
        and not _SENTENCE_END.search(line)
        and not re.search(r"[\"“”«»()\[\]]", line)
    )


def classify_lines(lines: list[str]) -> list[str | None]:
    """A reason (or None for body) for each non-blank, stripped line of a document, in order."""
    reasons = [line_reason(line) for line in lines]
    total = sum(len(line) for line in lines)
    before = 0
    footer_from = None
    for i, (line, reason) in enumerate(zip(lines, reasons, strict=True)):
        if reason in ("comment_counter", "navigation") and before >= 0.5 * total:
            footer_from = i
            break
        before += len(line)
    if footer_from is not None:
        for i in range(footer_from + 1, len(lines)):
            if reasons[i] is None:
                reasons[i] = "page_footer"
    # The byline sits right before a source line near the end.
    before = 0
    for i, line in enumerate(lines):
        if reasons[i] == "source_line" and i > 0 and before >= 0.5 * total:
            j = i - 1
            if reasons[j] is None and _is_byline(lines[j]):
                reasons[j] = "byline"
        before += len(line)
    return reasons
