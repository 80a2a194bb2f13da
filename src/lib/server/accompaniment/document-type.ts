/**
 * What a document really is, read from its bytes (issue 6, "Documents"): never from its
 * name or the type the browser declared, which anyone can change. Pure.
 *
 * - PDF: `%PDF-<digit>.<digit>` at the very start and `%%EOF` in the last 2 KB (a text file
 *   renamed `.pdf`, or one that merely starts like a PDF, is refused);
 * - PNG: the 8-byte signature followed by the IHDR chunk;
 * - JPEG: SOI (`FF D8`) and a marker (`FF`) right after. Nothing is required at the end:
 *   phones append data after the image (motion photos).
 */
export const DOCUMENT_TYPES = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg' },
  png: { mediaType: 'image/png', extension: 'png' }
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
export type DocumentMediaType = (typeof DOCUMENT_TYPES)[DocumentType]['mediaType'];

/** 10 MB (MiB): the largest document accepted. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * The server's body limit (adapter-node's BODY_SIZE_LIMIT, which `relais serve` sets unless
 * the operator does): a 10 MB document and the multipart framing around it. Routes other
 * than a record's documents refuse far less (`http/body-limit.ts`).
 */
export const UPLOAD_BODY_LIMIT = MAX_DOCUMENT_BYTES + 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function isPdf(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ascii('%PDF-'))) return false;
  const digit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
  if (!digit(bytes[5]) || bytes[6] !== 0x2e || !digit(bytes[7])) return false;
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048)));
  return tail.includes('%%EOF', 0, 'latin1');
}

/** The type of a document from its bytes, or null if it is none of PDF, JPEG, PNG. */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | null {
  if (isPdf(bytes)) return 'pdf';
  if (startsWith(bytes, PNG_SIGNATURE) && startsWith(bytes, ascii('IHDR'), 12)) return 'png';
  if (bytes.length >= 4 && startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  return null;
}

export function mediaTypeOf(type: DocumentType): DocumentMediaType {
  return DOCUMENT_TYPES[type].mediaType;
}

export function typeOfMediaType(mediaType: string): DocumentType | null {
  for (const [type, info] of Object.entries(DOCUMENT_TYPES)) if (info.mediaType === mediaType) return type as DocumentType;
  return null;
}

/**
 * The name she will see when downloading it: the uploaded name without its folders, control
 * characters or extension, at most 100 characters, then the extension of its REAL type.
 */
export function documentName(uploaded: string, type: DocumentType): string {
  const base = (uploaded.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|*?:]/g, '')
    .trim();
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim().slice(0, 100).trim() || 'document';
  return `${stem}.${DOCUMENT_TYPES[type].extension}`;
}

/**
 * A `Content-Disposition: attachment` header for a name: an ASCII fallback and the exact
 * name in RFC 5987 form. Quotes, backslashes and line breaks cannot get through.
 */
export function attachmentHeader(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 120) || 'document';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
