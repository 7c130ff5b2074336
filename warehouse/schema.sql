-- policy-extract warehouse, schema version 1 (CONTRACT.md). Applied by warehouse.connect in one transaction.
-- Column names listed in CONTRACT.md are fixed; extra columns are ours. No foreign keys: a document's rows
-- are deleted and re-inserted inside one transaction, and DuckDB checks foreign keys eagerly.

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL
);

CREATE TABLE documents (
    doc_id           VARCHAR PRIMARY KEY,
    source           VARCHAR,
    file_name        VARCHAR,
    stored_path      VARCHAR,
    lang             VARCHAR CHECK (lang IN ('zh', 'en')),
    title_zh         VARCHAR,
    title_en         VARCHAR,
    doc_number       VARCHAR,
    issuer           VARCHAR,
    issued_date      DATE,
    published_date   DATE,
    received_date    DATE,
    doi              VARCHAR,
    journal          VARCHAR,
    volume           VARCHAR,
    issue            VARCHAR,
    page_count       INTEGER,
    status           VARCHAR NOT NULL CHECK (status IN ('ok', 'failed')),
    reason           VARCHAR CHECK (reason IN (
                         'empty_file', 'not_pdf', 'too_large', 'too_many_pages', 'encrypted', 'truncated',
                         'malformed', 'parse_error', 'timeout', 'memory_limit', 'worker_crashed',
                         'no_text_layer', 'garbled_text')),
    error            VARCHAR,
    superseded_by    VARCHAR,
    ingested_at      TIMESTAMP NOT NULL,
    pipeline_version VARCHAR NOT NULL,
    run_id           VARCHAR          -- the run whose rows the document's tables hold
);

CREATE TABLE document_sources (
    doc_id     VARCHAR NOT NULL,
    source     VARCHAR NOT NULL,
    file_name  VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL,
    PRIMARY KEY (doc_id, source, file_name)
);

CREATE TABLE runs (
    run_id           VARCHAR PRIMARY KEY,
    doc_id           VARCHAR NOT NULL,
    started_at       TIMESTAMP,
    finished_at      TIMESTAMP,
    status           VARCHAR NOT NULL CHECK (status IN ('ok', 'failed')),
    pipeline_version VARCHAR NOT NULL,
    n_pages          INTEGER NOT NULL DEFAULT 0,
    n_blocks         INTEGER NOT NULL DEFAULT 0,
    n_tables         INTEGER NOT NULL DEFAULT 0,
    n_policy_dates   INTEGER NOT NULL DEFAULT 0,
    n_policies       INTEGER NOT NULL DEFAULT 0,
    n_targets        INTEGER NOT NULL DEFAULT 0,
    n_technologies   INTEGER NOT NULL DEFAULT 0,
    n_rejections     INTEGER NOT NULL DEFAULT 0,
    source           VARCHAR,
    reason           VARCHAR,
    error            VARCHAR,
    loaded_at        TIMESTAMP NOT NULL     -- when the run's transaction wrote it (orders runs of a doc)
);

CREATE TABLE pages (
    doc_id   VARCHAR NOT NULL,
    page_no  INTEGER NOT NULL CHECK (page_no >= 1),
    width    DOUBLE,
    height   DOUBLE,
    text     VARCHAR NOT NULL,
    quality  VARCHAR NOT NULL CHECK (quality IN ('ok', 'garbled', 'no_text', 'recovered')),
    n_images INTEGER NOT NULL DEFAULT 0,
    run_id   VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, page_no)
);

CREATE TABLE blocks (
    doc_id     VARCHAR NOT NULL,
    page_no    INTEGER NOT NULL,
    block_no   INTEGER NOT NULL,
    kind       VARCHAR NOT NULL CHECK (kind IN ('heading', 'paragraph', 'caption', 'footnote', 'header',
                   'footer', 'table', 'figure_text', 'reference', 'list')),
    lang       VARCHAR CHECK (lang IN ('zh', 'en')),
    text       VARCHAR NOT NULL,
    char_start INTEGER,
    char_end   INTEGER,
    x0         DOUBLE,
    top        DOUBLE,
    x1         DOUBLE,
    bottom     DOUBLE,
    column_no  INTEGER,
    run_id     VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, page_no, block_no)
);

CREATE TABLE doc_tables (
    doc_id     VARCHAR NOT NULL,
    table_id   VARCHAR NOT NULL,
    page_no    INTEGER NOT NULL,
    pages      INTEGER[],
    label      VARCHAR,
    caption_zh VARCHAR,
    caption_en VARCHAR,
    n_rows     INTEGER NOT NULL,
    n_cols     INTEGER NOT NULL,
    flags      VARCHAR[],
    x0         DOUBLE,
    top        DOUBLE,
    x1         DOUBLE,
    bottom     DOUBLE,
    run_id     VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, table_id)
);

CREATE TABLE table_cells (
    doc_id    VARCHAR NOT NULL,
    table_id  VARCHAR NOT NULL,
    row_no    INTEGER NOT NULL,
    col_no    INTEGER NOT NULL,
    row_span  INTEGER NOT NULL DEFAULT 1,
    col_span  INTEGER NOT NULL DEFAULT 1,
    text      VARCHAR NOT NULL,
    is_header BOOLEAN NOT NULL DEFAULT false,
    page_no   INTEGER NOT NULL,
    x0        DOUBLE,
    top       DOUBLE,
    x1        DOUBLE,
    bottom    DOUBLE,
    refs      VARCHAR[],
    run_id    VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, table_id, row_no, col_no)
);

CREATE TABLE doc_references (
    doc_id   VARCHAR NOT NULL,
    ref      VARCHAR NOT NULL,
    ordinal  INTEGER NOT NULL,
    authors  VARCHAR,
    title    VARCHAR,
    year     INTEGER,
    url      VARCHAR,
    accessed DATE,
    page_no  INTEGER,
    text     VARCHAR,
    run_id   VARCHAR NOT NULL
);

-- The four fact tables: fact_id, then the fact's own fields, then the provenance every fact row carries.

CREATE TABLE policy_dates (
    fact_id    VARCHAR PRIMARY KEY,
    doc_id     VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL,
    surface    VARCHAR NOT NULL,
    iso        VARCHAR NOT NULL,
    date_start DATE NOT NULL,
    date_end   DATE NOT NULL,
    precision  VARCHAR NOT NULL CHECK (precision IN ('day', 'month', 'year', 'quarter', 'season', 'decade', 'range')),
    role       VARCHAR NOT NULL CHECK (role IN ('event', 'target', 'publication', 'issued', 'received', 'reference')),
    event      VARCHAR,
    actor      VARCHAR,
    page_no INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, quote VARCHAR NOT NULL,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, lang VARCHAR CHECK (lang IN ('zh', 'en')),
    extractor VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE targets (
    fact_id         VARCHAR PRIMARY KEY,
    doc_id          VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    target_key      VARCHAR NOT NULL,
    actor           VARCHAR,
    actor_surface   VARCHAR,
    kind            VARCHAR NOT NULL CHECK (kind IN ('net_zero', 'carbon_neutrality', 'climate_neutrality',
                        'emissions_peak', 'emissions_reduction', 'intensity_reduction', 'energy_consumption',
                        'capacity', 'production', 'share', 'count', 'investment', 'temperature_limit', 'other')),
    subject         VARCHAR,
    subject_surface VARCHAR,
    value           DOUBLE,
    value_max       DOUBLE,
    unit            VARCHAR,
    unit_surface    VARCHAR,
    qualifier       VARCHAR CHECK (qualifier IN ('approx', 'at_least', 'more_than', 'at_most', 'below')),
    baseline_year   INTEGER,
    start_year      INTEGER,
    target_year     INTEGER,
    deadline_type   VARCHAR CHECK (deadline_type IN ('by', 'before', 'around', 'in', 'after')),
    period_years    INTEGER,
    date_fact_id    VARCHAR,
    confidence      DOUBLE NOT NULL,
    page_no INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, quote VARCHAR NOT NULL,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, lang VARCHAR CHECK (lang IN ('zh', 'en')),
    extractor VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE policies (
    fact_id  VARCHAR PRIMARY KEY,
    doc_id   VARCHAR NOT NULL,
    run_id   VARCHAR NOT NULL,
    title    VARCHAR NOT NULL,
    actor    VARCHAR,
    year     INTEGER,
    ref      VARCHAR,
    mentions INTEGER NOT NULL DEFAULT 1,
    page_no INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, quote VARCHAR NOT NULL,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, lang VARCHAR CHECK (lang IN ('zh', 'en')),
    extractor VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE technologies (
    fact_id         VARCHAR PRIMARY KEY,
    doc_id          VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    name_surface    VARCHAR NOT NULL,
    canonical_id    VARCHAR,
    name_en         VARCHAR,
    name_zh         VARCHAR,
    category        VARCHAR CHECK (category IN ('zero_carbon_energy', 'low_carbon_industry', 'sinks_negative_emissions')),
    sector          VARCHAR,
    group_name      VARCHAR,
    horizon         VARCHAR CHECK (horizon IN ('near', 'near_medium', 'medium', 'medium_long', 'long')),
    horizon_surface VARCHAR,
    stage           VARCHAR CHECK (stage IN ('research', 'demonstration', 'deployment')),
    actor           VARCHAR,
    origin          VARCHAR NOT NULL CHECK (origin IN ('table', 'figure', 'text')),
    page_no INTEGER NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, quote VARCHAR NOT NULL,
    x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE, lang VARCHAR CHECK (lang IN ('zh', 'en')),
    extractor VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, extractor_version VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE fact_boxes (
    fact_id VARCHAR NOT NULL,
    box_no  INTEGER NOT NULL,   -- order of the box within the quote
    page_no INTEGER NOT NULL,
    x0      DOUBLE,
    top     DOUBLE,
    x1      DOUBLE,
    bottom  DOUBLE,
    doc_id  VARCHAR NOT NULL,
    run_id  VARCHAR NOT NULL
);

CREATE TABLE fact_history (
    run_id    VARCHAR NOT NULL,
    fact_kind VARCHAR NOT NULL CHECK (fact_kind IN ('policy_dates', 'targets', 'policies', 'technologies')),
    fact_id   VARCHAR NOT NULL,
    payload   JSON NOT NULL,
    doc_id    VARCHAR NOT NULL
);

CREATE TABLE rejections (
    run_id    VARCHAR NOT NULL,
    doc_id    VARCHAR NOT NULL,
    fact_kind VARCHAR NOT NULL,
    payload   JSON NOT NULL,
    error     VARCHAR NOT NULL,
    page_no   INTEGER,
    quote     VARCHAR
);

CREATE SEQUENCE review_seq START 1;

CREATE TABLE reviews (
    fact_id     VARCHAR NOT NULL,
    verdict     VARCHAR NOT NULL CHECK (verdict IN ('accepted', 'rejected', 'corrected')),
    corrected   JSON,          -- {"field": new value, ...} for verdict 'corrected'
    reviewer    VARCHAR,
    reviewed_at TIMESTAMP NOT NULL,
    note        VARCHAR,
    review_no   BIGINT NOT NULL DEFAULT nextval('review_seq')   -- breaks ties of reviewed_at
);

-- The latest verdict per fact decides: 'rejected' hides the fact, 'corrected' overrides the fields named in
-- the JSON (a field set to null becomes NULL), 'accepted' or no review leaves the row as loaded.
CREATE VIEW latest_reviews AS
SELECT fact_id, verdict, corrected, reviewer, reviewed_at, note
FROM reviews
QUALIFY row_number() OVER (PARTITION BY fact_id ORDER BY reviewed_at DESC, review_no DESC) = 1;

CREATE VIEW policy_dates_reviewed AS
SELECT f.* REPLACE (
    CASE WHEN json_exists(r.corrected, '$.surface') THEN json_extract_string(r.corrected, '$.surface') ELSE f.surface END AS surface,
    CASE WHEN json_exists(r.corrected, '$.iso') THEN json_extract_string(r.corrected, '$.iso') ELSE f.iso END AS iso,
    CASE WHEN json_exists(r.corrected, '$.date_start') THEN TRY_CAST(json_extract_string(r.corrected, '$.date_start') AS DATE) ELSE f.date_start END AS date_start,
    CASE WHEN json_exists(r.corrected, '$.date_end') THEN TRY_CAST(json_extract_string(r.corrected, '$.date_end') AS DATE) ELSE f.date_end END AS date_end,
    CASE WHEN json_exists(r.corrected, '$.precision') THEN json_extract_string(r.corrected, '$.precision') ELSE f.precision END AS precision,
    CASE WHEN json_exists(r.corrected, '$.role') THEN json_extract_string(r.corrected, '$.role') ELSE f.role END AS role,
    CASE WHEN json_exists(r.corrected, '$.event') THEN json_extract_string(r.corrected, '$.event') ELSE f.event END AS event,
    CASE WHEN json_exists(r.corrected, '$.actor') THEN json_extract_string(r.corrected, '$.actor') ELSE f.actor END AS actor
), r.verdict AS review_verdict, r.reviewer AS reviewer, r.reviewed_at AS reviewed_at
FROM policy_dates f LEFT JOIN latest_reviews r ON r.fact_id = f.fact_id
WHERE r.verdict IS DISTINCT FROM 'rejected';

CREATE VIEW targets_reviewed AS
SELECT f.* REPLACE (
    CASE WHEN json_exists(r.corrected, '$.target_key') THEN json_extract_string(r.corrected, '$.target_key') ELSE f.target_key END AS target_key,
    CASE WHEN json_exists(r.corrected, '$.actor') THEN json_extract_string(r.corrected, '$.actor') ELSE f.actor END AS actor,
    CASE WHEN json_exists(r.corrected, '$.actor_surface') THEN json_extract_string(r.corrected, '$.actor_surface') ELSE f.actor_surface END AS actor_surface,
    CASE WHEN json_exists(r.corrected, '$.kind') THEN json_extract_string(r.corrected, '$.kind') ELSE f.kind END AS kind,
    CASE WHEN json_exists(r.corrected, '$.subject') THEN json_extract_string(r.corrected, '$.subject') ELSE f.subject END AS subject,
    CASE WHEN json_exists(r.corrected, '$.subject_surface') THEN json_extract_string(r.corrected, '$.subject_surface') ELSE f.subject_surface END AS subject_surface,
    CASE WHEN json_exists(r.corrected, '$.value') THEN TRY_CAST(json_extract_string(r.corrected, '$.value') AS DOUBLE) ELSE f.value END AS value,
    CASE WHEN json_exists(r.corrected, '$.value_max') THEN TRY_CAST(json_extract_string(r.corrected, '$.value_max') AS DOUBLE) ELSE f.value_max END AS value_max,
    CASE WHEN json_exists(r.corrected, '$.unit') THEN json_extract_string(r.corrected, '$.unit') ELSE f.unit END AS unit,
    CASE WHEN json_exists(r.corrected, '$.unit_surface') THEN json_extract_string(r.corrected, '$.unit_surface') ELSE f.unit_surface END AS unit_surface,
    CASE WHEN json_exists(r.corrected, '$.qualifier') THEN json_extract_string(r.corrected, '$.qualifier') ELSE f.qualifier END AS qualifier,
    CASE WHEN json_exists(r.corrected, '$.baseline_year') THEN TRY_CAST(json_extract_string(r.corrected, '$.baseline_year') AS INTEGER) ELSE f.baseline_year END AS baseline_year,
    CASE WHEN json_exists(r.corrected, '$.start_year') THEN TRY_CAST(json_extract_string(r.corrected, '$.start_year') AS INTEGER) ELSE f.start_year END AS start_year,
    CASE WHEN json_exists(r.corrected, '$.target_year') THEN TRY_CAST(json_extract_string(r.corrected, '$.target_year') AS INTEGER) ELSE f.target_year END AS target_year,
    CASE WHEN json_exists(r.corrected, '$.deadline_type') THEN json_extract_string(r.corrected, '$.deadline_type') ELSE f.deadline_type END AS deadline_type,
    CASE WHEN json_exists(r.corrected, '$.period_years') THEN TRY_CAST(json_extract_string(r.corrected, '$.period_years') AS INTEGER) ELSE f.period_years END AS period_years,
    CASE WHEN json_exists(r.corrected, '$.date_fact_id') THEN json_extract_string(r.corrected, '$.date_fact_id') ELSE f.date_fact_id END AS date_fact_id,
    CASE WHEN json_exists(r.corrected, '$.confidence') THEN TRY_CAST(json_extract_string(r.corrected, '$.confidence') AS DOUBLE) ELSE f.confidence END AS confidence
), r.verdict AS review_verdict, r.reviewer AS reviewer, r.reviewed_at AS reviewed_at
FROM targets f LEFT JOIN latest_reviews r ON r.fact_id = f.fact_id
WHERE r.verdict IS DISTINCT FROM 'rejected';

CREATE VIEW policies_reviewed AS
SELECT f.* REPLACE (
    CASE WHEN json_exists(r.corrected, '$.title') THEN json_extract_string(r.corrected, '$.title') ELSE f.title END AS title,
    CASE WHEN json_exists(r.corrected, '$.actor') THEN json_extract_string(r.corrected, '$.actor') ELSE f.actor END AS actor,
    CASE WHEN json_exists(r.corrected, '$.year') THEN TRY_CAST(json_extract_string(r.corrected, '$.year') AS INTEGER) ELSE f.year END AS year,
    CASE WHEN json_exists(r.corrected, '$.ref') THEN json_extract_string(r.corrected, '$.ref') ELSE f.ref END AS ref,
    CASE WHEN json_exists(r.corrected, '$.mentions') THEN TRY_CAST(json_extract_string(r.corrected, '$.mentions') AS INTEGER) ELSE f.mentions END AS mentions
), r.verdict AS review_verdict, r.reviewer AS reviewer, r.reviewed_at AS reviewed_at
FROM policies f LEFT JOIN latest_reviews r ON r.fact_id = f.fact_id
WHERE r.verdict IS DISTINCT FROM 'rejected';

CREATE VIEW technologies_reviewed AS
SELECT f.* REPLACE (
    CASE WHEN json_exists(r.corrected, '$.name_surface') THEN json_extract_string(r.corrected, '$.name_surface') ELSE f.name_surface END AS name_surface,
    CASE WHEN json_exists(r.corrected, '$.canonical_id') THEN json_extract_string(r.corrected, '$.canonical_id') ELSE f.canonical_id END AS canonical_id,
    CASE WHEN json_exists(r.corrected, '$.name_en') THEN json_extract_string(r.corrected, '$.name_en') ELSE f.name_en END AS name_en,
    CASE WHEN json_exists(r.corrected, '$.name_zh') THEN json_extract_string(r.corrected, '$.name_zh') ELSE f.name_zh END AS name_zh,
    CASE WHEN json_exists(r.corrected, '$.category') THEN json_extract_string(r.corrected, '$.category') ELSE f.category END AS category,
    CASE WHEN json_exists(r.corrected, '$.sector') THEN json_extract_string(r.corrected, '$.sector') ELSE f.sector END AS sector,
    CASE WHEN json_exists(r.corrected, '$.group_name') THEN json_extract_string(r.corrected, '$.group_name') ELSE f.group_name END AS group_name,
    CASE WHEN json_exists(r.corrected, '$.horizon') THEN json_extract_string(r.corrected, '$.horizon') ELSE f.horizon END AS horizon,
    CASE WHEN json_exists(r.corrected, '$.horizon_surface') THEN json_extract_string(r.corrected, '$.horizon_surface') ELSE f.horizon_surface END AS horizon_surface,
    CASE WHEN json_exists(r.corrected, '$.stage') THEN json_extract_string(r.corrected, '$.stage') ELSE f.stage END AS stage,
    CASE WHEN json_exists(r.corrected, '$.actor') THEN json_extract_string(r.corrected, '$.actor') ELSE f.actor END AS actor,
    CASE WHEN json_exists(r.corrected, '$.origin') THEN json_extract_string(r.corrected, '$.origin') ELSE f.origin END AS origin
), r.verdict AS review_verdict, r.reviewer AS reviewer, r.reviewed_at AS reviewed_at
FROM technologies f LEFT JOIN latest_reviews r ON r.fact_id = f.fact_id
WHERE r.verdict IS DISTINCT FROM 'rejected';
