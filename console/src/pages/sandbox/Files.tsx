import { useState } from 'preact/hooks';
import { ApiError, api, authHeaders, download, get } from '../../api';
import { ConfirmButton, Empty, ErrorNote, useAction, useLoad, When, Head } from '../../ui';

interface Entry {
  name: string;
  path: string;
  type: string;
  size: number;
  modified?: string;
}

/** PUT with XMLHttpRequest: fetch cannot report upload progress. */
function upload(url: string, file: File, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status < 300) return resolve();
      let body: any = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* keep the status */
      }
      reject(
        new ApiError(xhr.status, body.error?.code ?? `http_${xhr.status}`, body.error?.message ?? xhr.statusText, body.error?.requestId ?? xhr.getResponseHeader('x-request-id')),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'the upload did not reach the gateway', null));
    xhr.send(file);
  });
}

export function Files({ id }: { id: string }) {
  const base = `/v1/sandboxes/${encodeURIComponent(id)}/files`;
  const [dir, setDir] = useState('');
  const list = useLoad(() => get<{ path: string; entries: Entry[] }>(`${base}/list`, { path: dir || '.' }), [dir]);
  const [progress, setProgress] = useState<number | null>(null);
  const action = useAction();
  const join = (name: string) => (dir ? `${dir.replace(/\/$/, '')}/${name}` : name);
  const relative = (p: string) => p.replace(/^\/workspace\/?/, '');
  const onUpload = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    await action.run(() => upload(`${base}?path=${encodeURIComponent(join(file.name))}`, file, setProgress));
    setProgress(null);
    input.value = '';
    list.reload();
  };
  const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  return (
    <div>
      <div class="row">
        <span>
          /workspace/{dir}
        </span>
        {dir && (
          <button type="button" onClick={() => setDir(parent)}>
            Up one folder
          </button>
        )}
        <label class="upload">
          Upload a file
          <input type="file" name="upload" onChange={onUpload} disabled={action.busy} />
        </label>
        {progress !== null && (
          <progress aria-label="upload progress" max={1} value={progress}>
            {Math.round(progress * 100)} %
          </progress>
        )}
      </div>
      <ErrorNote error={list.error ?? action.error} />
      {list.data && list.data.entries.length === 0 && <Empty>This folder is empty: upload a file above.</Empty>}
      {list.data && list.data.entries.length > 0 && (
        <table>
          <Head cols={['Name', 'Size', 'Modified', 'Actions']} />
          <tbody>
            {list.data.entries.map((f) => (
              <tr key={f.path}>
                <td>
                  {f.type === 'directory' || f.type === 'dir' ? (
                    <button type="button" class="link" onClick={() => setDir(relative(f.path))}>
                      {f.name}/
                    </button>
                  ) : (
                    f.name
                  )}
                </td>
                <td>{f.type === 'file' ? f.size : ''}</td>
                <td>
                  <When iso={f.modified} />
                </td>
                <td>
                  {f.type === 'file' && (
                    <button
                      type="button"
                      aria-label={`Download ${f.name}`}
                      onClick={() => action.run(() => download(`${base}?path=${encodeURIComponent(relative(f.path))}`, f.name))}
                    >
                      Download
                    </button>
                  )}{' '}
                  <ConfirmButton
                    label="Delete"
                    question={`Delete ${f.name}?`}
                    onConfirm={() =>
                      action.run(() => api('DELETE', `${base}?path=${encodeURIComponent(relative(f.path))}`)).then(list.reload)
                    }
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
