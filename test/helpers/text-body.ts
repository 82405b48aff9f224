import type { Test } from 'supertest';

type BodyParser = Extract<Parameters<Test['parse']>[0], (res: never, callback: never) => void>;

/** A supertest parser that keeps any body as text (supertest only buffers text/* itself). */
export const asText: BodyParser = (res, callback) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
};
