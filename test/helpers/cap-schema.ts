import { readFileSync } from 'node:fs';
import { create } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';

/** The official OASIS CAP 1.2 schema, kept in the repository so the tests need nothing outside it. */
const CAP_XSD = readFileSync(new URL('../fixtures/CAP-v1.2.xsd', import.meta.url), 'utf8');
export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** Validates a document against the CAP 1.2 schema with libxml2 (xmllint compiled to WebAssembly). */
export async function validateCap(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'alert.xml', contents: xml }],
    schema: [{ fileName: 'CAP-v1.2.xsd', contents: CAP_XSD }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

/** The part of the DOM (as xmlbuilder2's parser builds it) the tests read. */
export interface XmlElement {
  localName: string;
  namespaceURI: string | null;
  textContent: string | null;
  childNodes: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
}

/** The document element of an XML text, parsed by a real XML parser (throws when it is not well-formed). */
export function parseXml(xml: string): XmlElement {
  return create(xml).root().node as unknown as XmlElement;
}

/** The text of every element `name` (in namespace `ns`) under `parent`, entities resolved. */
export function textsOf(parent: XmlElement, name: string, ns = CAP_NS): string[] {
  return Array.from(parent.getElementsByTagNameNS(ns, name)).map((e) => e.textContent ?? '');
}

/** The text of the one element `name` directly under `parent`, or undefined. */
export function childText(parent: XmlElement, name: string, ns = CAP_NS): string | undefined {
  const child = Array.from(parent.childNodes).find((n) => n.localName === name && n.namespaceURI === ns);
  return child ? (child.textContent ?? '') : undefined;
}

/** The child elements `name` of `parent`. */
export function children(parent: XmlElement, name: string, ns = CAP_NS): XmlElement[] {
  return Array.from(parent.childNodes).filter((n) => n.localName === name && n.namespaceURI === ns);
}

/**
 * Whether libxml2 reads the document as well-formed XML (no schema: for the Atom feed). Stricter than
 * parseXml: an undefined entity such as `&nbsp;` is an error here.
 */
export async function wellFormed(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'doc.xml', contents: xml }], normalization: 'c14n' });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
