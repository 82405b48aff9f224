/** `GET /api/client-config`: what the pages need before login (public). */
export interface ClientConfig {
  /** Map tile URL template with `{z}/{x}/{y}`. */
  tileUrl: string;
  center: [number, number];
  zoom: number;
}
