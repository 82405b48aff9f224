// Leaflet 1.9 with the marker-cluster plugin. The plugin is a UMD script that extends the global `L`,
// so the global must exist before it loads: import Leaflet from here, never straight from 'leaflet'.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';

(window as unknown as { L: typeof L }).L = L;
await import('leaflet.markercluster');

export default L;
