// The media types of the CAP endpoints, apart from the renderers so that the routes can name them
// without loading xmlbuilder2 (cap.service.ts imports the renderers on first use).
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';
export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';
