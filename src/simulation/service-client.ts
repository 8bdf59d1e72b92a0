/** An answer of the service: its status and parsed JSON body. */
export interface ServiceAnswer<T> {
  status: number;
  body: T;
}

export interface ServiceClient {
  /** GET (no body) or POST JSON, whatever the answer. */
  send<T>(url: string, body?: unknown): Promise<ServiceAnswer<T>>;
  /** As `send`, for answers that must be 2xx. @throws Error naming the URL, status and body otherwise. */
  call<T>(url: string, body?: unknown): Promise<T>;
}

/** A client that sends `key` as `Authorization: Bearer` with every request. */
export function serviceClient(key: string): ServiceClient {
  const authorization = `Bearer ${key}`;
  const send = async <T>(url: string, body?: unknown): Promise<ServiceAnswer<T>> => {
    const response = await fetch(
      url,
      body === undefined
        ? { headers: { authorization } }
        : { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    send,
    async call<T>(url: string, body?: unknown): Promise<T> {
      const answer = await send<T>(url, body);
      if (answer.status < 200 || answer.status > 299) throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
  };
}
