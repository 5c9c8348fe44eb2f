"""English (a translation target): designators and organisation heads come after the name."""

from __future__ import annotations

from toolkit.extractor.entity_lexicon import EntityLexicon

LEXICON = EntityLexicon(
    lang="en",
    titles=("mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.", "comrade"),
    roles=("president", "chairman", "secretary", "deputy", "director", "governor", "head"),
    org_heads_after=(
        "committee", "party", "council", "government", "assembly", "ministry", "association", "union", "front",
        "department", "board",
    ),
    places_before=("province", "district", "city", "commune"),
    places_after=(
        "district", "province", "city", "commune", "ward", "town", "port", "road", "street", "region",
    ),
    connectors=("of", "the", "for", "and"),
    name_particles=("de", "van", "von", "bin"),
    person_cues=("said", "says", "told", "added"),
)  # fmt: skip
