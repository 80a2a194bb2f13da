import { describe, expect, it } from 'vitest';
import { attachmentHeader, documentName, sniffDocumentType } from './document-type';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(20)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(50), Buffer.from([0xff, 0xd9])]);

describe('sniffDocumentType', () => {
  it('recognises a PDF, a PNG and a JPEG from their bytes', () => {
    expect(sniffDocumentType(pdf)).toBe('pdf');
    expect(sniffDocumentType(png)).toBe('png');
    expect(sniffDocumentType(jpeg)).toBe('jpeg');
    // A phone's motion photo: data after the end of the image.
    expect(sniffDocumentType(Buffer.concat([jpeg, Buffer.from('ftypmp42 video data')]))).toBe('jpeg');
    // Trailing bytes after %%EOF (incremental saves, scanners) are fine.
    expect(sniffDocumentType(Buffer.concat([pdf, Buffer.alloc(500, 0x20)]))).toBe('pdf');
  });

  it('refuses text called a PDF, a file that only starts like one, and everything else', () => {
    expect(sniffDocumentType(Buffer.from('This is not a PDF, only text with a .pdf name\n'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('%PDF-1.4 but nothing after, no end of file marker'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('%PDF-x.y\n%%EOF'))).toBeNull();
    // A PDF header later in the file (a polyglot) is not at the start.
    expect(sniffDocumentType(Buffer.concat([Buffer.from('<html>'), pdf]))).toBeNull();
    expect(sniffDocumentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('GIF89a......'))).toBeNull();
    expect(sniffDocumentType(png.subarray(0, 8))).toBeNull();
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffDocumentType(Buffer.alloc(0))).toBeNull();
  });
});

describe('documentName', () => {
  it('keeps her name for the file, with the extension of its real type', () => {
    expect(documentName('récépissé préfecture.PDF', 'pdf')).toBe('récépissé préfecture.pdf');
    expect(documentName('scan.jpeg', 'png')).toBe('scan.png');
    expect(documentName('C:\\Users\\x\\Desktop\\passport.jpg', 'jpeg')).toBe('passport.jpg');
    expect(documentName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(documentName('a"b\r\nc<d>.pdf', 'pdf')).toBe('abcd.pdf');
    expect(documentName('', 'png')).toBe('document.png');
    expect(documentName('.pdf', 'pdf')).toBe('document.pdf');
    expect(documentName('x'.repeat(300), 'pdf')).toHaveLength(104);
  });
});

describe('attachmentHeader', () => {
  it('gives an ASCII fallback and the exact name, and nothing can break out of it', () => {
    expect(attachmentHeader('récépissé.pdf')).toBe(`attachment; filename="r_c_piss_.pdf"; filename*=UTF-8''r%C3%A9c%C3%A9piss%C3%A9.pdf`);
    const header = attachmentHeader('a";\r\nSet-Cookie: x=1.pdf');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
  });
});
