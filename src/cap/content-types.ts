// The media types of the CAP endpoints.
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';
