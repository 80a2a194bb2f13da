import { benchDirectory } from './bench/directory.ts';
console.table(await benchDirectory());
