"""Portuguese."""

from __future__ import annotations

from toolkit.extractor.entity_lexicon import EntityLexicon

LEXICON = EntityLexicon(
    lang="pt",
    titles=("sr.", "sra.", "srta.", "senhor", "senhora", "dona", "camarada", "dr.", "dra."),
    roles=("presidente", "secretário", "secretária", "vice", "diretor", "governador", "chefe"),
    org_heads_before=(
        "comitê", "comité", "comite", "comitês", "partido", "frente", "governo", "centro", "conselho",
        "assembleia", "ministério", "departamento", "associação", "politburo", "união",
        # generic heads of bodies, companies and schools (not names themselves)
        "banco", "universidade", "instituto", "faculdade", "câmara", "tribunal", "federação", "confederação",
        "companhia", "empresa", "sindicato", "fundação", "escola", "comissão", "parlamento", "secretaria",
        "agência", "polícia", "exército", "biblioteca", "museu", "clube", "organização", "grupo", "jornal",
        "editora", "rádio", "televisão", "senado", "prefeitura", "igreja", "hospital",
    ),
    places_before=(
        "província", "provincia", "distrito", "cidade", "município", "comuna", "porto", "rua", "estrada",
        "rodovia", "bairro", "vila", "país", "região",
    ),
    connectors=("do", "da", "de", "dos", "das", "e"),
    name_particles=("do", "da", "de", "dos", "das", "del", "van", "von"),
    person_cues=("disse", "afirmou", "declarou", "explicou", "segundo", "contou", "acrescentou", "diz", "afirma"),
)  # fmt: skip
