/**
 * What the browser sends about a passkey, parsed once at the edge (the JSON bodies of the
 * passkey endpoints). Shapes of WebAuthn's RegistrationResponseJSON and
 * AuthenticationResponseJSON, with lengths bounded; the signature itself is checked by
 * @simplewebauthn/server.
 */
import { z } from 'zod';

const b64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/);

export const registrationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  response: z.object({
    clientDataJSON: b64url(4000),
    attestationObject: b64url(20_000),
    authenticatorData: b64url(10_000).optional(),
    transports: z.array(z.string().max(20)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4000).optional()
  })
});

export const authenticationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  response: z.object({
    clientDataJSON: b64url(4000),
    authenticatorData: b64url(10_000),
    signature: b64url(2000),
    userHandle: b64url(100).optional()
  })
});

export type RegistrationResponse = z.infer<typeof registrationResponseSchema>;
export type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

/** The name she gives a passkey ("phone", "office key"): optional, at most 60 characters. */
export const passkeyNameSchema = z
  .string()
  .max(200)
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(z.string().max(60));

/** The body of a passkey endpoint: first the options, then the browser's answer. */
export const passkeyRequestSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('options') }),
  z.object({ step: z.literal('verify'), credential: z.unknown(), name: z.string().max(200).optional() })
]);
