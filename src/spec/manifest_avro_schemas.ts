/**
 * The Avro writer schemas current Java Paimon (master, after 2.0) embeds in manifest lists,
 * manifests and index manifests, as schema JSON values.
 *
 * Derived the way Java derives them: `ManifestSchemaUtils.withFormatIdentifier(X.SCHEMA)`
 * converted by `AvroSchemaConverter.convertToSchema` — top-level record `record` in namespace
 * `org.apache.paimon.avro.generated`, nested records named `<parent>_<field>` (so
 * `record__FILE`, `record__FILE__KEY_STATS`), array items of records keep the parent's name
 * (`record__DELETIONS_VECTORS_RANGES`), TINYINT/SMALLINT/INT -> int, BIGINT -> long,
 * STRING -> string, BYTES -> bytes, TIMESTAMP(3) -> long + timestamp-millis, a nullable type ->
 * `["null", T]` with `"default": null`, a non-null type -> T with no default.
 * Checked against the schema JSON in the fixtures' newest manifests (a 1.3 build: the same JSON
 * up to `_FIRST_ROW_ID`) and against DataFileMeta.SCHEMA, ManifestEntry.SCHEMA,
 * ManifestFileMeta.SCHEMA, IndexManifestEntry.SCHEMA, SimpleStats.SCHEMA,
 * DeletionVectorMeta.SCHEMA and GlobalIndexMeta.SCHEMA on apache/paimon master.
 * https://github.com/apache/paimon/blob/master/paimon-format/src/main/java/org/apache/paimon/format/avro/AvroSchemaConverter.java
 *
 * Invariants: field names and order are persisted (never rename, never reorder); new Java
 * fields are appended as nullable with default null. These are values only: parsing them into
 * Avro schema objects is `format/`'s job (spec never imports format).
 *
 * Imports: nothing.
 */

/** Namespace of every Paimon manifest record (persisted). */
export const PAIMON_AVRO_NAMESPACE = "org.apache.paimon.avro.generated";

/** Name of the top-level record (persisted; readers ignore record names, Java writes this). */
export const PAIMON_AVRO_RECORD_NAME = "record";

type Json = string | readonly Json[] | { readonly [key: string]: Json | null | number | boolean };

function required(name: string, type: Json): Json {
  return { name, type };
}

function optional(name: string, type: Json): Json {
  return { name, type: ["null", type], default: null };
}

const TIMESTAMP_MILLIS: Json = { type: "long", logicalType: "timestamp-millis" };

/** SimpleStats.SCHEMA as a nested record named `recordName`. */
function simpleStatsRecord(recordName: string): Json {
  return {
    type: "record",
    name: recordName,
    fields: [
      required("_MIN_VALUES", "bytes"),
      required("_MAX_VALUES", "bytes"),
      optional("_NULL_COUNTS", { type: "array", items: ["null", "long"] }),
    ],
  };
}

/** DataFileMeta.SCHEMA (ids 0-20) as the nested record `record__FILE`. */
const DATA_FILE_META_RECORD: Json = {
  type: "record",
  name: "record__FILE",
  fields: [
    required("_FILE_NAME", "string"),
    required("_FILE_SIZE", "long"),
    required("_ROW_COUNT", "long"),
    required("_MIN_KEY", "bytes"),
    required("_MAX_KEY", "bytes"),
    required("_KEY_STATS", simpleStatsRecord("record__FILE__KEY_STATS")),
    required("_VALUE_STATS", simpleStatsRecord("record__FILE__VALUE_STATS")),
    required("_MIN_SEQUENCE_NUMBER", "long"),
    required("_MAX_SEQUENCE_NUMBER", "long"),
    required("_SCHEMA_ID", "long"),
    required("_LEVEL", "int"),
    required("_EXTRA_FILES", { type: "array", items: "string" }),
    optional("_CREATION_TIME", TIMESTAMP_MILLIS),
    optional("_DELETE_ROW_COUNT", "long"),
    optional("_EMBEDDED_FILE_INDEX", "bytes"),
    optional("_FILE_SOURCE", "int"),
    optional("_VALUE_STATS_COLS", { type: "array", items: "string" }),
    optional("_EXTERNAL_PATH", "string"),
    optional("_FIRST_ROW_ID", "long"),
    optional("_WRITE_COLS", { type: "array", items: "string" }),
    optional("_WRITE_COLS_SEQUENCES", { type: "array", items: "long" }),
  ],
};

/** Writer schema of manifest files (`manifest-*`): `_VERSION` + ManifestEntry.SCHEMA. */
export const MANIFEST_ENTRY_AVRO_SCHEMA: Json = {
  type: "record",
  name: PAIMON_AVRO_RECORD_NAME,
  namespace: PAIMON_AVRO_NAMESPACE,
  fields: [
    required("_VERSION", "int"),
    required("_KIND", "int"),
    required("_PARTITION", "bytes"),
    required("_BUCKET", "int"),
    required("_TOTAL_BUCKETS", "int"),
    required("_FILE", DATA_FILE_META_RECORD),
  ],
};

/** Writer schema of manifest lists (`manifest-list-*`): `_VERSION` + ManifestFileMeta.SCHEMA. */
export const MANIFEST_FILE_META_AVRO_SCHEMA: Json = {
  type: "record",
  name: PAIMON_AVRO_RECORD_NAME,
  namespace: PAIMON_AVRO_NAMESPACE,
  fields: [
    required("_VERSION", "int"),
    required("_FILE_NAME", "string"),
    required("_FILE_SIZE", "long"),
    required("_NUM_ADDED_FILES", "long"),
    required("_NUM_DELETED_FILES", "long"),
    required("_PARTITION_STATS", simpleStatsRecord("record__PARTITION_STATS")),
    required("_SCHEMA_ID", "long"),
    optional("_MIN_BUCKET", "int"),
    optional("_MAX_BUCKET", "int"),
    optional("_MIN_LEVEL", "int"),
    optional("_MAX_LEVEL", "int"),
    optional("_MIN_ROW_ID", "long"),
    optional("_MAX_ROW_ID", "long"),
  ],
};

/** Writer schema of index manifests (`index-manifest-*`): `_VERSION` + IndexManifestEntry.SCHEMA. */
export const INDEX_MANIFEST_ENTRY_AVRO_SCHEMA: Json = {
  type: "record",
  name: PAIMON_AVRO_RECORD_NAME,
  namespace: PAIMON_AVRO_NAMESPACE,
  fields: [
    required("_VERSION", "int"),
    required("_KIND", "int"),
    required("_PARTITION", "bytes"),
    required("_BUCKET", "int"),
    required("_INDEX_TYPE", "string"),
    required("_FILE_NAME", "string"),
    required("_FILE_SIZE", "long"),
    required("_ROW_COUNT", "long"),
    optional("_DELETIONS_VECTORS_RANGES", {
      type: "array",
      // DeletionVectorMeta.SCHEMA is a nullable row (RowType.of): the items are ["null", record].
      items: [
        "null",
        {
          type: "record",
          name: "record__DELETIONS_VECTORS_RANGES",
          fields: [required("f0", "string"), required("f1", "int"), required("f2", "int"), optional("_CARDINALITY", "long")],
        },
      ],
    }),
    optional("_EXTERNAL_PATH", "string"),
    optional("_GLOBAL_INDEX", {
      type: "record",
      name: "record__GLOBAL_INDEX",
      fields: [
        required("_ROW_RANGE_START", "long"),
        required("_ROW_RANGE_END", "long"),
        required("_INDEX_FIELD_ID", "int"),
        optional("_EXTRA_FIELD_IDS", { type: "array", items: "int" }),
        optional("_INDEX_META", "bytes"),
        optional("_SOURCE_META", "bytes"),
      ],
    }),
  ],
};
