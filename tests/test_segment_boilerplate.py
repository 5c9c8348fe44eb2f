"""Boilerplate inside real articles, as families (issue 24): read-also boxes, captions, channels, URL labels, link lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.io.formats import html
from toolkit.records import Document
from toolkit.segment import segment_document
from toolkit.segment.boilerplate import line_reason

LABELS = [
    "Saiba Mais",
    "Leia também",
    "Veja também",
    "À lire aussi",
    "Mirá también",
    "Baca juga",
    "Les også",
    "เรื่องที่เกี่ยวข้อง",
]
HEADLINES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz áéíóú", min_size=10, max_size=80).filter(lambda t: t.strip())


@given(st.sampled_from(LABELS), st.sampled_from(["»", ":", "|", "–", "-"]), HEADLINES)
def test_a_read_also_label_before_its_headline(label: str, sep: str, headline: str) -> None:
    assert line_reason(f"{label} {sep} {headline.strip()}") == "navigation"
    assert line_reason(label) == "navigation"


@pytest.mark.parametrize(
    "line",
    [
        "Cristina Kirchner y Alberto Fernández, el 1 de marzo, en el Congreso (Foto: Natacha Pisarenko/Pool via REUTERS).",
        "O presidente durante a cerimônia em Brasília (Crédito: Minervino Júnior/CB/D.A Press)",
        "Presiden Joko Widodo di Istana Merdeka [Foto: Antara]",
    ],
)
def test_a_caption_that_ends_with_its_credit(line: str) -> None:
    assert line_reason(line) == "photo_caption"


@pytest.mark.parametrize(
    "line",
    [
        "Puede escribirnos a nuno@esmateria.com o seguir a Materia en Facebook, Twitter, Instagram o suscribirse aquí.",
        "Siga-nos no Facebook, Instagram e YouTube para mais notícias.",
        "Kirim tulisan ke redaksi@contoh.id atau ikuti kami di Instagram.",
    ],
)
def test_the_sites_channels(line: str) -> None:
    assert line_reason(line) == "social"


@pytest.mark.parametrize(
    "line",
    ["โอนเงิน PayPal คลิกที่นี่ https://paypal.me/prachatai (รายงานยอดบริจาคสนับสนุน)", "Doe aqui: https://apoia.se/jornal"],
)
def test_a_url_with_a_label(line: str) -> None:
    assert line_reason(line) == "url_label"


@pytest.mark.parametrize(
    "line",
    [
        "O Facebook anunciou nesta terça-feira que vai mudar as regras de publicidade política no Brasil.",
        "A foto mostra o presidente durante a cerimônia, segundo o fotógrafo da agência.",
        "Segundo o relatório publicado em https://example.org/relatorio, a inflação subiu 0,5% em março, "
        "o maior aumento desde o início do ano, puxada pelos alimentos e pela energia.",
    ],
)
def test_story_sentences_stay_body(line: str) -> None:
    assert line_reason(line) is None


def test_a_line_of_links_inside_the_article_is_not_translated() -> None:
    story = " ".join(["Uma frase longa sobre o assunto do dia, com bastante texto para ser um artigo."] * 6)
    page = (
        "<html><head><title>Notícia</title></head><body><article><h1>Notícia</h1>"
        f"<p>{story}</p><p>Política <a href='/x'>Deputados aprovam urgência para barrar aumento da energia</a></p>"
        f"<p>{story} Veja o <a href='/y'>relatório</a>.</p></article></body></html>"
    )
    doc = html.read(page.encode(), "p.html")
    assert isinstance(doc, Document)
    sentences = segment_document(doc, "por_Latn")
    links = [s for s in sentences if "Deputados" in s.text]
    assert links and all(not s.is_body and s.reason == "link_line" for s in links)
    assert all(s.is_body for s in sentences if "relatório" in s.text)


ADS = ["ANZEIGE", "Publicidade", "Publicidad", "Advertisement", "Iklan", "Annonse", "โฆษณา"]


@given(st.sampled_from(ADS), st.sampled_from(["", " - ", ": ", " | "]), HEADLINES)
def test_an_advertisement_label_alone_or_before_the_ad(label: str, sep: str, rest: str) -> None:
    line = f"{label}{sep}{rest.strip()}" if sep else label
    assert line_reason(line) == "advertisement"


def test_a_sentence_that_starts_with_an_ad_word_is_body() -> None:
    assert line_reason("Publicidade enganosa foi o tema do debate no Congresso nesta terça-feira.") is None
