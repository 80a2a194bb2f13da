/**
 * Her documents (issue 6, "Documents"): copies of her papers, PDF, JPEG or PNG, at most
 * 10 MB, the type read from the bytes. Each document's bytes and file name are encrypted
 * under HER key (the one erasing her destroys), AES-256-GCM bound to the document's id, and
 * stored in `case_document` (a tenant table: row-level security, the tenant guard). Only the
 * people who may see her record (the same visibility predicate) list and download them;
 * every upload, download and removal is an audit entry. Keeping copies of her papers needs
 * her consent (`documents` scope); withdrawing it removes them (person.service.ts).
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../errors';
import { dataKeyOf } from '../accounts/organization.service';
import { appendAudit } from '../audit/audit';
import { decryptBytes, decryptField, encryptBytes, encryptField } from '../crypto/envelope';
import { inTenant } from '../db/tenant';
import { documentName, MAX_DOCUMENT_BYTES, mediaTypeOf, sniffDocumentType, type DocumentMediaType } from './document-type';
import { activeScopes, field, loadVisible, personKeyOf, requireRole, type CaseContext } from './person.service';
import { listConsents } from './person.repository';

export type DocumentRefusal = 'too_big' | 'wrong_type' | 'empty' | 'no_consent' | 'closed';

/** An upload refused for a reason she can act on; the message key is `case.documents.error.<reason>`. */
export class DocumentRefusedError extends DomainError {
  constructor(readonly reason: DocumentRefusal) {
    super(reason === 'too_big' ? 'payload_too_large' : reason === 'closed' ? 'conflict' : 'invalid_input', `document refused: ${reason}`);
  }
}

export interface DocumentListItem {
  id: string;
  name: string;
  mediaType: DocumentMediaType;
  size: number;
  uploadedAt: string;
}

const nameField = (id: string) => field(id, 'name', 'case_document');
const contentField = (id: string) => field(id, 'content', 'case_document');

/**
 * Her documents (names decrypted, newest first), her pseudonym, whether her consent covers
 * documents and whether her record is open. Audited as a view of her record
 * (`person.view`). Throws `forbidden`, `not_found`.
 */
export async function listDocuments(ctx: CaseContext, personId: string): Promise<{ pseudonym: string; documents: DocumentListItem[]; consented: boolean; open: boolean }> {
  requireRole(ctx.who, 'case.read');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const rows = await trx
      .selectFrom('case_document')
      .select(['id', 'media_type', 'size', 'name_encrypted', 'uploaded_at'])
      .where('organization_id', '=', ctx.who.organizationId)
      .where('person_id', '=', person.id)
      .orderBy('uploaded_at', 'desc')
      .orderBy('id')
      .execute();
    const scopes = activeScopes(await listConsents(trx, ctx.who.organizationId, person.id));
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'person.view', target: { kind: 'person', id: person.id }, at: ctx.now });
    return {
      pseudonym: decryptField(key, person.pseudonym_encrypted!, field(person.id, 'pseudonym')),
      documents: rows.map((r) => ({ id: r.id, name: decryptField(key, r.name_encrypted, nameField(r.id)), mediaType: r.media_type, size: Number(r.size), uploadedAt: r.uploaded_at })),
      consented: scopes.includes('documents'),
      open: person.status === 'open'
    };
  });
}

/**
 * Whether she may add a document to this record at all (her role, and a record she sees),
 * checked before an upload's body is read. Throws `forbidden`, `not_found`.
 */
export async function checkUploadTarget(ctx: CaseContext, personId: string): Promise<void> {
  requireRole(ctx.who, 'case.write');
  await inTenant(ctx.db, ctx.who.organizationId, (trx) => loadVisible(trx, ctx, personId));
}

/**
 * Stores one of her papers, encrypted under her key. Checked before anything is stored:
 * the size (at most MAX_DOCUMENT_BYTES, not empty), the type from the bytes (PDF, JPEG,
 * PNG), her record open and her consent to keep documents — each refusal a
 * DocumentRefusedError. Throws `forbidden`, `not_found` too.
 */
export async function uploadDocument(ctx: CaseContext, personId: string, upload: { name: string; bytes: Buffer }): Promise<{ id: string; name: string }> {
  requireRole(ctx.who, 'case.write');
  if (upload.bytes.length === 0) throw new DocumentRefusedError('empty');
  if (upload.bytes.length > MAX_DOCUMENT_BYTES) throw new DocumentRefusedError('too_big');
  const type = sniffDocumentType(upload.bytes);
  if (!type) throw new DocumentRefusedError('wrong_type');
  const now = ctx.now ?? new Date();
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    if (person.status !== 'open') throw new DocumentRefusedError('closed');
    if (!activeScopes(await listConsents(trx, ctx.who.organizationId, person.id)).includes('documents')) throw new DocumentRefusedError('no_consent');
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const id = randomUUID();
    const name = documentName(upload.name, type);
    await trx
      .insertInto('case_document')
      .values({
        id,
        organization_id: ctx.who.organizationId,
        person_id: person.id,
        media_type: mediaTypeOf(type),
        size: upload.bytes.length,
        name_encrypted: encryptField(key, name, nameField(id)),
        uploaded_by: ctx.who.accountId,
        uploaded_at: now.toISOString(),
        content_encrypted: encryptBytes(key, upload.bytes, contentField(id))
      })
      .execute();
    await trx.updateTable('case_person').set({ updated_at: now.toISOString() }).where('organization_id', '=', ctx.who.organizationId).where('id', '=', person.id).execute();
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'document.upload', target: { kind: 'document', id }, at: now });
    return { id, name };
  });
}

/**
 * One of her documents, decrypted, for a download; audited (`document.download`). A
 * document of another person, or of a record she may not see, is `not_found`.
 */
export async function readDocument(ctx: CaseContext, personId: string, documentId: string): Promise<{ name: string; mediaType: DocumentMediaType; bytes: Buffer }> {
  requireRole(ctx.who, 'case.read');
  return inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const row = await trx
      .selectFrom('case_document')
      .selectAll()
      .where('organization_id', '=', ctx.who.organizationId)
      .where('person_id', '=', person.id)
      .where('id', '=', documentId)
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'no such document');
    const key = personKeyOf(await dataKeyOf(trx, ctx.masterKey, ctx.who.organizationId), person);
    const bytes = decryptBytes(key, Buffer.from(row.content_encrypted), contentField(row.id));
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'document.download', target: { kind: 'document', id: row.id }, at: ctx.now });
    return { name: decryptField(key, row.name_encrypted, nameField(row.id)), mediaType: row.media_type, bytes };
  });
}

/** Removes one of her documents (a wrong file, no longer needed); audited. Throws `forbidden`, `not_found`. */
export async function deleteDocument(ctx: CaseContext, personId: string, documentId: string): Promise<void> {
  requireRole(ctx.who, 'case.write');
  await inTenant(ctx.db, ctx.who.organizationId, async (trx) => {
    const person = await loadVisible(trx, ctx, personId);
    const deleted = await trx.deleteFrom('case_document').where('organization_id', '=', ctx.who.organizationId).where('person_id', '=', person.id).where('id', '=', documentId).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) throw new DomainError('not_found', 'no such document');
    await appendAudit(trx, { organizationId: ctx.who.organizationId, actorId: ctx.who.accountId, action: 'document.delete', target: { kind: 'document', id: documentId }, at: ctx.now });
  });
}
