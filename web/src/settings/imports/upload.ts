import { ApiError, getCsrfToken, withQuery, type Query } from '../../api/client';

export type UploadPhase = { phase: 'uploading'; fraction: number } | { phase: 'processing' };

/**
 * POSTs a CSV file as `text/csv` with XMLHttpRequest, whose `upload.onprogress` reports the bytes sent
 * (fetch cannot); once the body is sent the server is still reading it, which `processing` says.
 * Answers like `request`: the JSON body, or an ApiError with the API's code, message and details.
 */
export function uploadCsv<T>(path: string, query: Query, file: Blob, onPhase: (p: UploadPhase) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path, query));
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onPhase({ phase: 'uploading', fraction: e.total > 0 ? e.loaded / e.total : 1 });
    };
    xhr.upload.onload = () => onPhase({ phase: 'processing' });
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      reject(new ApiError(xhr.status, error?.code ?? `http_${xhr.status}`, error?.message ?? xhr.statusText, error?.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Ordo cannot be reached: check the connection and try again.'));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    onPhase({ phase: 'uploading', fraction: 0 });
    xhr.send(file);
  });
}
