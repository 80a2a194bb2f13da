// The offline directory is the one directory page that needs JavaScript: it keeps the
// snapshot on the phone and searches it there.
export const csr = true;
