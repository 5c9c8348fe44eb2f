"""Indonesian."""

from __future__ import annotations

from toolkit.extractor.entity_lexicon import EntityLexicon

LEXICON = EntityLexicon(
    lang="id",
    titles=("bapak", "bpk.", "pak", "ibu", "bu", "tn.", "ny.", "sdr.", "saudara", "kawan", "dr.", "dra."),
    roles=("ketua", "sekretaris", "wakil", "kepala", "direktur", "presiden", "gubernur"),
    org_heads_before=(
        "komite", "partai", "front", "majelis", "pemerintah", "dewan", "badan", "kementerian", "departemen",
        "asosiasi", "serikat", "persatuan",
        # generic heads of bodies, companies and schools (not names themselves)
        "bank", "pt", "universitas", "institut", "komisi", "kepolisian", "pengadilan", "mahkamah",
        "kejaksaan", "lembaga", "yayasan", "direktorat", "dinas", "fakultas", "sekolah", "akademi", "pesantren",
        "perusahaan", "angkatan", "tentara", "koalisi", "kabinet", "harian", "radio", "televisi", "federasi",
        "organisasi", "perhimpunan", "ikatan", "gerakan", "kongres",
    ),
    places_before=(
        "distrik", "provinsi", "kabupaten", "kecamatan", "kota", "desa", "kelurahan", "komune", "pelabuhan",
        "jalan", "jl.", "negara", "wilayah",
    ),
    connectors=("di", "dan"),
    name_particles=("bin", "binti", "van", "de", "al"),
    person_cues=(
        "kata", "ujar", "ungkap", "tutur", "tambah", "menurut", "mengatakan", "menyatakan", "menjelaskan",
        "mengungkapkan", "menegaskan", "menambahkan",
    ),
)  # fmt: skip
