"""Build the news pages of this folder: each seed article wrapped in the markup of a real news site.

Run from the repository root (``python tests/data/formats/make_pages.py``)
after changing a seed or the page chrome; the pages are committed, so tests
and ``benchmarks/read_speed.py`` read files, not this script. Every page has
what a crawled article page has around the story: a skip link and a site
header with a menu, a cookie banner, breadcrumbs, a byline and a date, share
buttons, an image with its caption, an ad slot, a "read also" box inside the
story, a tag list, readers' comments with a form, a related-articles list, a
newsletter box and a footer. The chrome's sentences are in the article's
language, so a reader that lets them through would have them translated.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"

CHROME = {
    "id": {
        "site": "Warta Nusantara",
        "menu": ["Beranda", "Nasional", "Politik", "Ekonomi", "Daerah", "Olahraga", "Indeks"],
        "cookie": "Kami menggunakan cookie untuk meningkatkan pengalaman Anda di situs ini. Dengan melanjutkan, "
        "Anda menyetujui kebijakan privasi kami.",
        "accept": "Saya setuju",
        "by": "Penulis: Rina Kartika | Editor: Ahmad Fauzi",
        "also": "Baca juga: Gubernur resmikan jembatan baru di pesisir selatan",
        "tags": ["mobilisasi massa", "Nui Thanh", "pemerintahan daerah"],
        "comments_title": "Komentar pembaca",
        "comments": [
            "Program seperti ini seharusnya juga diterapkan di kabupaten kami, warga jadi lebih didengar.",
            "Semoga pelaksanaannya tidak hanya bagus di atas kertas saja.",
        ],
        "related_title": "Berita terkait",
        "related": [
            "Harga beras di pasar tradisional kembali naik menjelang akhir bulan",
            "Ribuan warga antusias ikuti festival budaya di alun-alun kota",
            "Pemerintah kota luncurkan aplikasi pengaduan layanan publik",
        ],
        "newsletter": "Dapatkan berita pilihan setiap pagi langsung di kotak masuk Anda.",
        "footer": "Hak cipta dilindungi undang-undang. Dilarang mengutip tanpa izin redaksi.",
        "address": "Jl. Merdeka Barat No. 12, Jakarta Pusat",
        "date": "Senin, 8 Januari 2024 09:15 WIB",
        "iso": "2024-01-08T09:15:00+07:00",
    },
    "pt": {
        "site": "Jornal do Sudeste",
        "menu": ["Início", "Política", "Economia", "Mundo", "Cultura", "Desporto", "Opinião"],
        "cookie": "Utilizamos cookies para melhorar a sua experiência de navegação. Ao continuar, aceita a nossa "
        "política de privacidade.",
        "accept": "Aceitar",
        "by": "Por Mariana Lopes, correspondente",
        "also": "Leia também: Governo provincial anuncia novo plano de habitação",
        "tags": ["mobilização de massas", "Binh Thuan", "reforma administrativa"],
        "comments_title": "Comentários dos leitores",
        "comments": [
            "Excelente reportagem, gostaria de saber mais sobre os resultados concretos nas aldeias.",
            "Espero que estas medidas cheguem também às zonas rurais mais isoladas.",
        ],
        "related_title": "Notícias relacionadas",
        "related": [
            "Chuvas fortes provocam inundações em várias cidades do litoral",
            "Exportações de pescado batem recorde no primeiro trimestre",
            "Festival de lanternas atrai milhares de visitantes ao centro histórico",
        ],
        "newsletter": "Receba as principais notícias do dia no seu e-mail.",
        "footer": "Todos os direitos reservados. É proibida a reprodução sem autorização.",
        "address": "Avenida da Liberdade, 144, Lisboa",
        "date": "15 de janeiro de 2025, 10h32",
        "iso": "2025-01-15T10:32:00+00:00",
    },
    "nb": {
        "site": "Dagsposten",
        "menu": ["Forsiden", "Nyheter", "Politikk", "Økonomi", "Kultur", "Sport", "Meninger"],
        "cookie": "Vi bruker informasjonskapsler for å gi deg en bedre opplevelse. Ved å fortsette godtar du "
        "personvernerklæringen vår.",
        "accept": "Godta alle",
        "by": "Av Kari Nordmann, journalist",
        "also": "Les også: Ny bro over elva åpnet for trafikk i helgen",
        "tags": ["massemobilisering", "Quang Nam", "lokalpolitikk"],
        "comments_title": "Kommentarer",
        "comments": [
            "Interessant sak, men jeg savner tall for hvor mange familier som faktisk har fått erstatning.",
            "Godt å se at de lytter til folk på grasrota.",
        ],
        "related_title": "Relaterte saker",
        "related": [
            "Strømprisen stiger igjen etter en kald uke",
            "Tusenvis samlet til julemarked i sentrum",
            "Kommunen vil bygge ny skole innen tre år",
        ],
        "newsletter": "Få dagens viktigste nyheter rett i innboksen.",
        "footer": "Ansvarlig redaktør: Ola Hansen. Alt innhold er opphavsrettslig beskyttet.",
        "address": "Storgata 1, 0155 Oslo",
        "date": "7. januar 2025 kl. 08.40",
        "iso": "2025-01-07T08:40:00+01:00",
    },
    "th": {
        "site": "ข่าวเอเชียวันนี้",
        "menu": ["หน้าแรก", "การเมือง", "เศรษฐกิจ", "ต่างประเทศ", "ภูมิภาค", "กีฬา", "บันเทิง"],
        "cookie": "เว็บไซต์นี้ใช้คุกกี้เพื่อพัฒนาประสบการณ์การใช้งานของท่าน หากใช้งานต่อถือว่าท่านยอมรับนโยบายความเป็นส่วนตัว",
        "accept": "ยอมรับ",
        "by": "โดย สมชาย ใจดี ผู้สื่อข่าว",
        "also": "อ่านเพิ่มเติม: รัฐบาลเตรียมเปิดโครงการพัฒนาชนบทระยะที่สอง",
        "tags": ["การระดมมวลชน", "เวียดนาม", "การปกครองท้องถิ่น"],
        "comments_title": "ความคิดเห็นของผู้อ่าน",
        "comments": [
            "อยากให้มีการติดตามผลการดำเนินงานในพื้นที่จริงด้วยครับ",
            "เป็นตัวอย่างที่ดีสำหรับการทำงานร่วมกับชุมชน",
        ],
        "related_title": "ข่าวที่เกี่ยวข้อง",
        "related": [
            "ราคาทุเรียนพุ่งสูงต่อเนื่องในช่วงต้นฤดูกาล",
            "นักท่องเที่ยวแห่เที่ยวงานลอยกระทงริมแม่น้ำ",
            "กรมอุตุฯ เตือนฝนตกหนักหลายจังหวัดภาคใต้",
        ],
        "newsletter": "รับข่าวเด่นประจำวันส่งตรงถึงอีเมลของคุณ",
        "footer": "สงวนลิขสิทธิ์ ห้ามนำเนื้อหาไปเผยแพร่โดยไม่ได้รับอนุญาต",
        "address": "ถนนพระราม 4 แขวงคลองเตย กรุงเทพมหานคร",
        "date": "12 กรกฎาคม 2567 เวลา 14:20 น.",
        "iso": "2024-07-12T14:20:00+07:00",
    },
}
LANG_OF = {"000": "id", "001": "pt", "002": "nb", "003": "th", "004": "th"}
_AD = re.compile(r"^\[[^\]]+\]$")
_IMAGE = re.compile(r"\S+\.(jpe?g|png|webp)$", re.IGNORECASE)
# Where the story ends on the seed pages: the source line and the comment counter.
_END = re.compile(r"^(Sumber|Fonte|Kilde|ที่มา|แหล่งที่มา)\b|\((0|\d+)\)$")


def is_heading(line: str) -> bool:
    return len(line) < 80 and not line.rstrip().endswith((".", "!", "?", ":", "…", "...", "»", '"'))


def story_lines(text: str) -> tuple[list[str], list[str]]:
    """The seed's lines up to its end (the source line included), and the page furniture after it."""
    from toolkit.segment.boilerplate import classify_lines

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The scraped seeds start with the site's banner and dateline: on the page they are the logo and <time>.
    lines = [x for x, why in zip(lines, classify_lines(lines), strict=True) if why not in ("site_banner", "dateline")]
    for i, line in enumerate(lines):
        if _END.search(line):
            end = i + 1 if not line.endswith(")") else i
            return lines[:end], lines[end:]
    return lines, []


def article_html(lines: list[str], c: dict) -> tuple[str, list[str]]:
    title = next(line for line in lines if not _AD.match(line) and not _IMAGE.match(line) and len(line) > 20)
    out: list[str] = []
    pending_img: str | None = None
    for n, line in enumerate(lines):
        e = html.escape(line)
        if line == title:
            continue
        if _AD.match(line):
            out.append(f'<div class="ad-slot" data-slot="{e}"><span class="ad-label">Advertisement</span></div>')
        elif _IMAGE.match(line):
            pending_img = line
        elif pending_img:
            out.append(
                f'<figure class="article-image"><img src="/uploads/2025/01/{html.escape(pending_img)}" '
                f'alt="" loading="lazy"><figcaption>{e}</figcaption></figure>'
            )
            pending_img = None
        elif is_heading(line):
            out.append(f"<h2>{e}</h2>")
        else:
            out.append(f"<p>{e}</p>")
        if n == 3:
            out.append(f'<div class="read-also"><a href="/read/2291">{html.escape(c["also"])}</a></div>')
    return title, out


def page(seed: Path) -> str:
    # One piece over 80 lines: it is the page's HTML template, which reads best top to bottom.
    lang = LANG_OF[seed.name[:3]]
    c = CHROME[lang]
    story, furniture = story_lines(seed.read_text("utf-8"))
    title, body = article_html(story, c)
    esc = html.escape
    menu = "\n".join(f'      <li><a href="/{i}">{esc(m)}</a></li>' for i, m in enumerate(c["menu"]))
    tags = " ".join(f'<a class="tag" href="/tag/{i}">{esc(t)}</a>' for i, t in enumerate(c["tags"]))
    comments = "\n".join(
        f'      <li class="comment"><span class="comment-author">Pembaca {i + 1}</span>'
        f'<p class="comment-body">{esc(t)}</p></li>'
        for i, t in enumerate(c["comments"])
    )
    related = "\n".join(
        f'      <li><a href="/news/{3000 + i}"><img src="/thumb/{i}.jpg" alt="">{esc(t)}</a></li>'
        for i, t in enumerate(c["related"] + furniture)
    )
    story_html = "\n      ".join(body)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | {esc(c["site"])}</title>
  <meta property="og:title" content="{esc(title)}">
  <meta property="og:site_name" content="{esc(c["site"])}">
  <meta name="author" content="{esc(c["by"].split(",")[0].split("|")[0].split(":")[-1].replace("Por ", "").replace("Av ", "").replace("โดย ", "").strip())}">
  <meta property="article:published_time" content="{c["iso"]}">
  <link rel="canonical" href="https://news.example/{lang}/{seed.stem}">
  <link rel="stylesheet" href="/assets/site.css">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body class="article-page">
  <a class="skip-link" href="#main">Skip to content</a>
  <div id="cookie-banner" class="cookie-consent" role="dialog">
    <p>{esc(c["cookie"])}</p>
    <button type="button" class="btn-accept">{esc(c["accept"])}</button>
  </div>
  <header class="site-header">
    <a class="logo" href="/"><img src="/assets/logo.svg" alt="{esc(c["site"])}"></a>
    <nav class="main-menu" aria-label="menu">
      <ul>
{menu}
      </ul>
    </nav>
    <form class="search" action="/search"><input type="search" name="q"><button>🔍</button></form>
  </header>
  <nav class="breadcrumbs"><a href="/">{esc(c["menu"][0])}</a> › <a href="/1">{esc(c["menu"][1])}</a></nav>
  <main id="main">
    <article class="story">
      <h1 class="story-title">{esc(title)}</h1>
      <div class="story-meta"><span class="byline">{esc(c["by"])}</span>
        <time datetime="{c["iso"]}">{esc(c["date"])}</time></div>
      <div class="share"><a href="#fb">Facebook</a> <a href="#x">X</a> <a href="#wa">WhatsApp</a></div>
      <div class="story-body">
      {story_html}
      </div>
      <div class="tags">{tags}</div>
    </article>
    <section class="comments" id="comments">
      <h3>{esc(c["comments_title"])} ({len(c["comments"])})</h3>
      <ul>
{comments}
      </ul>
      <form class="comment-form"><textarea name="c"></textarea><button>OK</button></form>
    </section>
    <aside class="related">
      <h3>{esc(c["related_title"])}</h3>
      <ul>
{related}
      </ul>
    </aside>
    <div class="newsletter"><p>{esc(c["newsletter"])}</p><input type="email"><button>OK</button></div>
  </main>
  <footer class="site-footer">
    <p>© 2025 {esc(c["site"])}. {esc(c["footer"])}</p>
    <p>{esc(c["address"])}</p>
    <ul class="footer-links"><li><a href="/about">About</a></li><li><a href="/privacy">Privacy</a></li></ul>
  </footer>
</body>
</html>
"""


def chrome_texts(lang: str) -> list[str]:
    """The sentences around the story on a page in ``lang``: none of them may be translated."""
    c = CHROME[lang]
    return [c["cookie"], c["by"], c["also"], c["newsletter"], c["footer"], c["address"], *c["comments"], *c["related"]]


if __name__ == "__main__":
    for seed in sorted(SEEDS.glob("*.txt")):
        (HERE / f"{seed.stem}.html").write_text(page(seed), "utf-8")
        print(f"wrote {seed.stem}.html")
