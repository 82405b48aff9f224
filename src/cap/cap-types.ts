/** A CAP 1.2 message as plain data, in the schema's element order; cap-xml.ts renders it. */

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error';
export type CapScope = 'Public' | 'Restricted' | 'Private';
export type CapCategory = 'Geo' | 'Met' | 'Safety' | 'Security' | 'Rescue' | 'Fire' | 'Health' | 'Env' | 'Transport' | 'Infra' | 'CBRNE' | 'Other';
export type CapResponseType = 'Shelter' | 'Evacuate' | 'Prepare' | 'Execute' | 'Avoid' | 'Monitor' | 'Assess' | 'AllClear' | 'None';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown';

export interface CapArea {
  areaDesc: string;
  /** "lat,lng radius_km" (WGS 84). */
  circle?: string;
}

export interface CapInfo {
  language: 'zh-CN' | 'en-US';
  category: CapCategory;
  event: string;
  responseType?: CapResponseType;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  senderName: string;
  headline: string;
  description: string;
  instruction?: string;
  web: string;
  parameters: { valueName: string; value: string }[];
  area: CapArea;
}

export interface CapAlert {
  identifier: string;
  sender: string;
  /** With an explicit offset and no fractions: CAP's pattern forbids `Z` and `.123`. */
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  scope: CapScope;
  restriction?: string;
  note?: string;
  /** Space-separated `sender,identifier,sent` triples of the messages this one updates or cancels. */
  references?: string;
  incidents?: string;
  info: CapInfo[];
}
