import { currentLang } from '../i18n.js';

// The import page's strings: zh-CN by default, English when the dashboard is in English.
const en = () => currentLang() === 'en';

export const S = {
  title: () => (en() ? 'Import and export' : '导入与导出'),
  importTitle: () => (en() ? 'Import' : '导入'),
  what: () => (en() ? 'What to import' : '导入内容'),
  kindFacilities: () => (en() ? 'Service sites (CSV or GeoJSON)' : '服务阵地（CSV 或 GeoJSON）'),
  kindSquads: () => (en() ? 'Squads and members (CSV)' : '先锋队及队员（CSV）'),
  file: () => (en() ? 'File' : '文件'),
  fileHint: () => (en()
    ? 'The format follows the file name: .csv is read as CSV, .geojson / .json as GeoJSON. Sites and squads are matched by code: existing ones are updated, new ones created.'
    : '按文件扩展名识别格式：.csv 为 CSV，.geojson / .json 为 GeoJSON。按编码匹配：已有的更新，没有的新建。'),
  dryRun: () => (en() ? 'Check only' : '仅检查'),
  doImport: () => (en() ? 'Import' : '导入'),
  chooseFile: () => (en() ? 'Choose a file first.' : '请先选择文件。'),
  badExtension: () => (en() ? 'Use a .csv, .geojson or .json file.' : '请使用 .csv、.geojson 或 .json 文件。'),
  squadsCsvOnly: () => (en() ? 'Squads can only be imported from CSV.' : '先锋队只能从 CSV 导入。'),
  tooLarge: () => (en() ? 'The file is larger than 20 MB.' : '文件超过 20 MB。'),
  phase: (p: string) => ((en()
    ? { checking: 'Checking', writing: 'Writing', done: 'Done', failed: 'Failed', uploading: 'Uploading' }
    : { checking: '检查中', writing: '写入中', done: '完成', failed: '失败', uploading: '上传中' }) as Record<string, string>)[p] ?? p,
  progress: () => (en() ? 'Import progress' : '导入进度'),
  resultTitle: (dry: boolean) => (dry ? (en() ? 'Check passed: this is what the import would do (nothing was changed)' : '检查通过：导入将产生以下变化（尚未做任何更改）')
    : (en() ? 'Imported' : '导入完成')),
  rows: () => (en() ? 'Lines' : '行数'),
  created: () => (en() ? 'Created' : '新建'),
  updated: () => (en() ? 'Updated' : '更新'),
  unchanged: () => (en() ? 'Unchanged' : '未变'),
  areasCreated: () => (en() ? 'New areas' : '新建区域'),
  none: () => (en() ? 'none' : '无'),
  nothingImported: (n: number) => (en()
    ? `${n} line(s) of the file have problems. Nothing was imported: fix the lines below and upload the file again.`
    : `文件中有 ${n} 行存在问题。未导入任何数据：请修改以下各行后重新上传。`),
  line: () => (en() ? 'Line' : '行'),
  field: () => (en() ? 'Field' : '字段'),
  problem: () => (en() ? 'Problem' : '问题'),
  failed: () => (en() ? 'The import failed; nothing was imported.' : '导入失败，未导入任何数据。'),
  templates: () => (en() ? 'Templates' : '模板下载'),
  templateFacilitiesCsv: () => (en() ? 'Sites (CSV)' : '服务阵地（CSV）'),
  templateFacilitiesGeo: () => (en() ? 'Sites (GeoJSON)' : '服务阵地（GeoJSON）'),
  templateSquads: () => (en() ? 'Squads (CSV)' : '先锋队（CSV）'),
  exportTitle: () => (en() ? 'Export' : '导出'),
  exportFacilities: () => (en() ? 'All sites (CSV)' : '全部服务阵地（CSV）'),
  exportSquads: () => (en() ? 'All squads and members (CSV)' : '全部先锋队及队员（CSV）'),
  eventLog: () => (en() ? 'Event log' : '事件记录'),
  from: () => (en() ? 'From' : '从'),
  to: () => (en() ? 'to (inclusive)' : '至（含）'),
  exportEvents: () => (en() ? 'Download event log (CSV)' : '下载事件记录（CSV）'),
  badRange: () => (en() ? 'Choose a start date no later than the end date.' : '开始日期不能晚于结束日期。'),
  recent: () => (en() ? 'Recent imports' : '最近导入'),
  noImports: () => (en() ? 'No imports yet.' : '暂无导入记录。'),
  when: () => (en() ? 'When' : '时间'),
  kind: () => (en() ? 'Kind' : '类型'),
  fileName: () => (en() ? 'File' : '文件'),
  by: () => (en() ? 'By' : '操作人'),
  kindName: (k: string) => (k === 'facilities' ? (en() ? 'Sites' : '服务阵地') : k === 'squads' ? (en() ? 'Squads' : '先锋队') : k),
  readOnly: () => (en() ? 'Only a commander can import; you can download exports and see recent imports.' : '只有指挥员可以导入；您可以下载导出文件并查看最近的导入。'),
  staffOnly: () => (en() ? 'This page is for command-center staff.' : '此页面仅供指挥中心人员使用。'),
};
