/**
 * The few S3 XML responses the S3 store reads (ListObjectsV2 `ListBucketResult` and the `Error`
 * body), parsed without DOMParser so the store runs in Node, Deno, browsers and workerd alike.
 *
 * Scope: S3 responses are flat, machine-written XML: no DTDs, no CDATA inside the elements read
 * here, no nesting of an element in itself. The reader finds elements by name with a scan, not
 * a full XML parser, and decodes the five predefined entities and numeric character references.
 * Keys come back URL-encoded when the request asked for `encoding-type=url` and the response
 * says `<EncodingType>url</EncodingType>` (AWS does; some S3-compatible servers ignore the
 * parameter and send raw keys, which are then taken as they are).
 *
 * Invariants: every function is pure; malformed input gives LakeError("io") naming what was
 * missing, never a silently empty result for a truncated listing.
 * Imports: errors.ts only.
 * Mirrors: the XML half of Hadoop S3A / AWS SDK `ListObjectsV2` parsing (not a Paimon class);
 * response shapes per https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { LakeError } from "../errors.ts";

/** One object of a listing page. */
export type S3ListedObject = {
  /** Full object key, decoded. */
  readonly key: string;
  /** Object size in bytes. */
  readonly sizeBytes: number;
};

/** One page of a ListObjectsV2 response. */
export type S3ListPage = {
  readonly objects: readonly S3ListedObject[];
  /** Common prefixes (with their trailing delimiter), decoded; only with a delimiter. */
  readonly commonPrefixes: readonly string[];
  /** Continuation token of the next page, or null when this page is the last. */
  readonly nextContinuationToken: string | null;
};

/** The code and message of an S3 `<Error>` body; both "" when the body had none (HEAD, proxies). */
export type S3ErrorBody = { readonly code: string; readonly message: string };

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'" };

/** Decodes XML character and entity references in element text. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (_all, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED_ENTITIES[name]!;
    const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    if (!Number.isInteger(codePoint) || codePoint > 0x10ffff) throw new LakeError("io", `s3 xml: bad character reference ${JSON.stringify(_all)}`);
    return String.fromCodePoint(codePoint);
  });
}

/** The raw inner texts of every `<name>…</name>` (and "" for `<name/>`) directly in `xml`, in order. */
export function elementTexts(xml: string, name: string): string[] {
  const out: string[] = [];
  const open = `<${name}`;
  const close = `</${name}>`;
  let at = 0;
  for (;;) {
    const start = xml.indexOf(open, at);
    if (start < 0) return out;
    const after = xml.charCodeAt(start + open.length);
    // Skip longer names sharing the prefix (<KeyCount> when looking for <Key>).
    if (after !== 0x3e /* > */ && after !== 0x20 && after !== 0x2f /* / */ && after !== 0x09 && after !== 0x0a && after !== 0x0d) {
      at = start + open.length;
      continue;
    }
    const tagEnd = xml.indexOf(">", start);
    if (tagEnd < 0) throw new LakeError("io", `s3 xml: unterminated <${name}> tag`);
    if (xml.charCodeAt(tagEnd - 1) === 0x2f) {
      out.push("");
      at = tagEnd + 1;
      continue;
    }
    const end = xml.indexOf(close, tagEnd + 1);
    if (end < 0) throw new LakeError("io", `s3 xml: <${name}> without </${name}>`);
    out.push(xml.slice(tagEnd + 1, end));
    at = end + close.length;
  }
}

/** Decoded text of the first `<name>` element, or null when there is none. */
export function firstText(xml: string, name: string): string | null {
  const texts = elementTexts(xml, name);
  return texts.length === 0 ? null : decodeXmlText(texts[0]!);
}

/** Decodes a key the server URL-encoded (`encoding-type=url`: '+' is a space, %XX are UTF-8 bytes). */
function decodeUrlKey(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch (error) {
    throw new LakeError("io", `s3 xml: key ${JSON.stringify(text.slice(0, 120))} is not valid URL encoding`, { cause: error });
  }
}

/**
 * Parses one ListObjectsV2 response body. Throws LakeError("io") when the body is not a
 * `ListBucketResult`, when an entry lacks a Key or a valid Size, or when the page says it is
 * truncated without a continuation token (paging on would loop or lose keys).
 */
export function parseListPage(xml: string): S3ListPage {
  if (!xml.includes("<ListBucketResult")) {
    throw new LakeError("io", `s3 xml: expected a ListBucketResult, got ${JSON.stringify(xml.slice(0, 200))}`);
  }
  const urlEncoded = firstText(xml, "EncodingType")?.toLowerCase() === "url";
  const decodeKey = (raw: string) => (urlEncoded ? decodeUrlKey(decodeXmlText(raw)) : decodeXmlText(raw));
  const objects: S3ListedObject[] = [];
  for (const entry of elementTexts(xml, "Contents")) {
    const key = elementTexts(entry, "Key")[0];
    const sizeText = firstText(entry, "Size");
    const size = sizeText === null || sizeText.trim() === "" ? NaN : Number(sizeText);
    if (key === undefined) throw new LakeError("io", "s3 xml: a <Contents> entry has no <Key>");
    if (!Number.isSafeInteger(size) || size < 0) throw new LakeError("io", `s3 xml: <Contents> of key ${JSON.stringify(decodeKey(key))} has no valid <Size>`);
    objects.push({ key: decodeKey(key), sizeBytes: size });
  }
  const commonPrefixes: string[] = [];
  for (const group of elementTexts(xml, "CommonPrefixes")) {
    for (const prefix of elementTexts(group, "Prefix")) commonPrefixes.push(decodeKey(prefix));
  }
  const truncated = firstText(xml, "IsTruncated")?.trim().toLowerCase() === "true";
  const token = firstText(xml, "NextContinuationToken");
  if (truncated && (token === null || token === "")) {
    throw new LakeError("io", "s3 xml: listing page is truncated but has no NextContinuationToken");
  }
  return { objects, commonPrefixes, nextContinuationToken: truncated ? token : null };
}

/** Code and message of an S3 error body (empty strings when absent or not XML). */
export function parseErrorBody(xml: string): S3ErrorBody {
  if (!xml.includes("<Error")) return { code: "", message: "" };
  try {
    return { code: firstText(xml, "Code") ?? "", message: firstText(xml, "Message") ?? "" };
  } catch {
    return { code: "", message: "" };
  }
}
