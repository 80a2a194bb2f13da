/**
 * Her answer form, read once at the edge: a multipart form (her text and, if she recorded
 * or chose one, a recording), never a 500 — a body that cannot be read is an empty form,
 * which the use case refuses with its message. The values she typed come back with a refusal.
 */
import { MAX_AUDIO_BYTES, MAX_TEXT_LENGTH } from '../../participation/contributions';
import type { WriteInput } from './contribution.service';

const text = (form: FormData, name: string, max: number) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
};

export async function readAnswerForm(request: Request): Promise<{ values: Record<string, string>; input: WriteInput }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    form = new FormData();
  }
  const values = {
    question: text(form, 'question', 60),
    contribution: text(form, 'contribution', 60),
    text: text(form, 'text', MAX_TEXT_LENGTH + 1),
    language: text(form, 'language', 16),
    content_note: text(form, 'content_note', 40),
    consent: text(form, 'consent', 20),
    intent: text(form, 'intent', 10)
  };
  const file = form.get('audio');
  let audio: WriteInput['audio'] = null;
  if (file instanceof File && file.size > 0) {
    // Over the maximum: refused by the use case without reading it all into a Buffer twice.
    audio = file.size > MAX_AUDIO_BYTES ? { bytes: Buffer.alloc(MAX_AUDIO_BYTES + 1), type: file.type } : { bytes: Buffer.from(await file.arrayBuffer()), type: file.type };
  }
  return {
    values,
    input: {
      contributionId: values.contribution || null,
      questionId: values.question,
      language: values.language,
      text: values.text,
      contentNote: values.content_note || null,
      consent: values.consent,
      audio,
      intent: values.intent === 'pause' ? 'pause' : 'send'
    }
  };
}
