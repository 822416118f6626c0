/** Payload of the socket `error` event. `domain` names the area that refused (e.g. "connections"). */
export interface ErrorPayload {
  code: string;
  message: string;
  domain: string;
  /** Echo of the client's requestId, when the failing message carried one. */
  requestId?: string;
}

/** Body of every REST error response: `{ "detail": "message", "code": "optional_code" }`. */
export interface RestErrorBody {
  detail: string;
  code?: string;
}
