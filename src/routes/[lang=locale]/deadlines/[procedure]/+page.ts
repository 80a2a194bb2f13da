// The calculator runs in the browser too, with the same engine, so that it answers
// offline once the service worker has kept this page. Without JavaScript the form posts.
export const csr = true;
