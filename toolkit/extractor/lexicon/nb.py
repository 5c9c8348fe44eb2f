"""Norwegian (Bokmål).

Norwegian glues a designator to the name with a hyphen ("Thang
Binh-distriktet") and writes organisations in lower case ("partikomiteen"),
so the rule guesser leaves those to the annotator; the CRF still sees them.
"""

from __future__ import annotations

from toolkit.extractor.entity_lexicon import EntityLexicon

LEXICON = EntityLexicon(
    lang="nb",
    titles=("herr", "fru", "frøken", "kamerat", "dr."),
    roles=("leder", "sekretær", "visesekretær", "formann", "nestleder", "direktør", "guvernør"),
    org_heads_before=(
        "komité", "komiteen", "partikomité", "partikomiteen", "partikomiteens", "fedrelandsfront",
        "fedrelandsfronten", "fedrelandsfrontkomité", "fronten", "råd", "rådet", "departement", "forening",
    ),
    places_before=(
        "provinsen", "provins", "distriktet", "distrikt", "kommunen", "kommune", "byen", "by", "havn", "riksvei",
        "regionen",
    ),
    places_suffix=(
        "distriktet", "distriktets", "provinsen", "provinsens", "kommune", "kommunes", "kommunen", "kommunens",
        "byen", "broen", "gaten", "veien",
    ),
    connectors=("i", "og", "for"),
    name_particles=("von", "van", "de", "der", "af"),
    person_cues=("sier", "sa", "ifølge", "forteller", "mener", "uttaler", "skriver", "fortalte"),
    # One-word bodies: "Arbeiderpartiet", "Finansdepartementet", "Stortinget", "Oslo tingrett".
    org_suffixes=(
        "partiet", "partiets", "departementet", "departementets", "direktoratet", "direktoratets", "tinget",
        "tingets", "instituttet", "tilsynet", "rådet", "rådets", "forbundet", "forbundets", "foreningen", "banken",
        "bankens", "universitetet", "tingrett", "lagmannsrett", "høyesterett", "regjeringen", "regjeringens",
        "kommisjonen", "politiet", "avisen", "forsvaret", "sykehus", "sykehuset", "selskapet", "konsernet",
    ),
)  # fmt: skip
