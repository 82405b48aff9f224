import type { RowError } from '../../../src/contracts/errors.js';
import type { ImportFormat as FileFormat, ImportKind, ImportResult } from '../../../src/contracts/imports.js';
import { renewAfterRefusal, session, languageHeader } from '../api.js';


/** An error response of the API: its code, message and, for bad files, every bad line. */
export class TransferError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly rows: RowError[] = []) {
    super(message);
  }
}

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const auth = (): Record<string, string> => ({ ...languageHeader(), ...(session.token ? { authorization: `Bearer ${session.token}` } : {}) });

async function failure(res: Response): Promise<TransferError> {
  const body = res.headers.get('content-type')?.includes('json') ? await res.json().catch(() => null) : null;
  // The caller shows the refusal; a renewed token serves the next try, an ended session goes to the login.
  if (res.status === 401) await renewAfterRefusal(session.token);
  return new TransferError(res.status, body?.code ?? 'HTTP', body?.message ?? `HTTP ${res.status}`, Array.isArray(body?.rows) ? body.rows : []);
}

/** The format a file is sent as, from its name: .csv → CSV, .geojson/.json → GeoJSON. */
export function formatOfName(name: string): FileFormat | undefined {
  const ext = /\.([^.]+)$/.exec(name.toLowerCase())?.[1];
  return ext === 'csv' ? 'csv' : ext === 'geojson' || ext === 'json' ? 'geojson' : undefined;
}

/** A file's text: UTF-8 (a BOM is dropped), or GB18030 for a spreadsheet saved in the Chinese Windows encoding. */
export async function readText(file: Blob): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** POST the file's text as the body; resolves with the result, rejects with a TransferError. */
export async function uploadFile(
  kind: ImportKind,
  req: { text: string; format: FileFormat; fileName: string; importId: string; dryRun: boolean },
): Promise<ImportResult> {
  const q = new URLSearchParams({ importId: req.importId, fileName: req.fileName.slice(0, 200) });
  if (req.dryRun) q.set('dryRun', 'true');
  const type = req.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json; charset=utf-8';
  const res = await fetch(`/api/imports/${kind}?${q}`, { method: 'POST', headers: { ...auth(), 'content-type': type }, body: req.text });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as ImportResult;
}

/** GET a file with the token and save it through a Blob (a plain link would not carry the token). */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { headers: auth() });
  if (!res.ok) throw await failure(res);
  const name = /filename="?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
