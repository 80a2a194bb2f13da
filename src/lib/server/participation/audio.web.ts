/**
 * A recording sent back to her or to a facilitator: the decrypted bytes, never stored by a
 * browser cache or a proxy (`no-store`), played in the page (inline), its type as recorded.
 */
export function audioResponse(audio: { bytes: Buffer; type: string }): Response {
  return new Response(new Uint8Array(audio.bytes), {
    headers: {
      'content-type': audio.type,
      'content-length': String(audio.bytes.length),
      'cache-control': 'no-store',
      'content-disposition': 'inline',
      'x-content-type-options': 'nosniff'
    }
  });
}
