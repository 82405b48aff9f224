import type { EntityManager } from 'typeorm';
import type { ChecklistTask, Hazard, PlanLevelView } from '../contracts/plans.js';
import type { FacilityType } from '../contracts/facilities.js';

const COASTAL = ['hanjiang', 'xiangzhi', 'hongshan', 'jinshang', 'yongning'];

// Conversion checklists per facility type (DOMAIN.md: each site has an emergency function).
const task = (title: string, titleEn: string, minutes: number, who: string): ChecklistTask => ({ title, titleEn, minutes, who });
const SHELTER: Partial<Record<FacilityType, ChecklistTask[]>> = {
  neighborhood_center: [
    task('开放临时安置区，摆放折叠床和棉被', 'Open the shelter area, set out folding beds and blankets', 30, '中心工作人员'),
    task('检查并试运行发电机', 'Check and test-run the generator', 15, '中心工作人员'),
    task('张贴应急标识和疏散路线', 'Put up emergency signage and evacuation routes', 10, '网格员'),
    task('清点应急物资并上报缺口', 'Count the reserves and report shortfalls', 20, '中心工作人员'),
  ],
  service_station: [
    task('开放临时避险点', 'Open the temporary refuge', 15, '服务站工作人员'),
    task('张贴应急标识', 'Put up emergency signage', 10, '网格员'),
    task('清点应急物资', 'Count the reserves', 15, '服务站工作人员'),
  ],
  health_station: [
    task('备好急救包和常用药品', 'Lay out first-aid and medicine kits', 15, '健康小屋医生'),
    task('设置临时医疗救护点', 'Set up the first-aid point', 20, '健康小屋医生'),
  ],
};
const MEALS: Partial<Record<FacilityType, ChecklistTask[]>> = {
  elder_canteen: [
    task('转为应急供餐点，启动灶具', 'Turn into an emergency meal point, fire up the kitchen', 30, '食堂员工'),
    task('清点大米和饮用水', 'Count rice and drinking water', 15, '食堂员工'),
    task('公布供餐时间和地点', 'Post meal times and place', 10, '网格员'),
  ],
};
const WARM: Partial<Record<FacilityType, ChecklistTask[]>> = {
  warm_station: [
    task('开放暖心驿站，备好棉被和热水', 'Open the warm station with blankets and hot water', 20, '驿站值守人员'),
    task('张贴开放时间和标识', 'Post opening hours and signage', 10, '网格员'),
  ],
  day_care_room: [
    task('为行动不便的老人准备过夜床位', 'Prepare overnight beds for frail elders', 30, '照料室护理员'),
    task('联系独居老人家属', 'Call the families of elders living alone', 20, '网格员'),
  ],
};
const HEALTH: Partial<Record<FacilityType, ChecklistTask[]>> = {
  health_station: [
    task('设置发热筛查和隔离等候区', 'Set up fever screening and an isolated waiting area', 30, '健康小屋医生'),
    task('清点口罩和药品', 'Count masks and medicine', 15, '健康小屋医生'),
  ],
  service_station: [
    task('开设咨询和物资发放点', 'Open an information and distribution desk', 20, '服务站工作人员'),
    task('张贴防护指引', 'Post protection guidance', 10, '网格员'),
  ],
};

const level = (n: PlanLevelView['level'], rest: Omit<PlanLevelView, 'level'>): PlanLevelView => ({ level: n, ...rest });

/** The four seeded plans for Shishi: typhoon, rainstorm and flooding, cold wave, public health. */
export const SEED_PLANS: { code: string; name: string; nameEn: string; hazard: Hazard; levels: PlanLevelView[] }[] = [
  {
    code: 'typhoon',
    name: '台风防御应急预案',
    nameEn: 'Typhoon response plan',
    hazard: 'typhoon',
    levels: [
      level(4, {
        scope: { types: ['neighborhood_center'], kinds: ['fishing_port'] },
        standby: { areas: COASTAL, skills: ['water_rescue'], perArea: 1 },
        reserveItems: ['life_jacket', 'sandbag', 'flashlight'],
        checklists: SHELTER,
      }),
      level(3, {
        scope: { areas: COASTAL, types: ['neighborhood_center', 'service_station', 'health_station'] },
        standby: { areas: COASTAL, perArea: 3 },
        reserveItems: ['folding_bed', 'blanket', 'water', 'first_aid_kit'],
        checklists: SHELTER,
      }),
      level(2, {
        scope: { areas: COASTAL },
        standby: { skills: ['water_rescue', 'evacuation', 'search_and_rescue'], perArea: 3 },
        reserveItems: ['generator', 'instant_food'],
        checklists: { ...SHELTER, ...MEALS, ...WARM },
      }),
      level(1, { scope: { all: true }, standby: {}, reserveItems: ['rice', 'raincoat'], checklists: { ...SHELTER, ...MEALS, ...WARM } }),
    ],
  },
  {
    code: 'rainstorm',
    name: '暴雨内涝应急预案',
    nameEn: 'Rainstorm and flooding response plan',
    hazard: 'rainstorm',
    levels: [
      level(4, { scope: { areas: ['hubin', 'fengli'], types: ['neighborhood_center'] }, standby: { areas: ['hubin', 'fengli'], perArea: 1 }, reserveItems: ['sandbag', 'raincoat'], checklists: SHELTER }),
      level(3, { scope: { areas: ['hubin', 'fengli', 'lingxiu', 'baogai'], types: ['neighborhood_center', 'service_station'] }, standby: { skills: ['water_rescue'], perArea: 1 }, reserveItems: ['life_jacket', 'flashlight'], checklists: SHELTER }),
      level(2, { scope: { types: ['neighborhood_center', 'service_station', 'health_station'] }, standby: { perArea: 2 }, reserveItems: ['water', 'folding_bed'], checklists: SHELTER }),
      level(1, { scope: { all: true }, standby: {}, reserveItems: ['generator'], checklists: { ...SHELTER, ...MEALS, ...WARM } }),
    ],
  },
  {
    code: 'cold_wave',
    name: '寒潮应急预案',
    nameEn: 'Cold wave response plan',
    hazard: 'cold_wave',
    levels: [
      level(4, { scope: { types: ['warm_station'] }, standby: { perArea: 1 }, reserveItems: ['blanket'], checklists: WARM }),
      level(3, { scope: { types: ['warm_station', 'day_care_room'] }, standby: { perArea: 1 }, reserveItems: ['blanket', 'water'], checklists: WARM }),
      level(2, { scope: { types: ['warm_station', 'day_care_room', 'elder_canteen'] }, standby: { perArea: 2 }, reserveItems: ['rice'], checklists: { ...WARM, ...MEALS } }),
      level(1, { scope: { types: ['warm_station', 'day_care_room', 'elder_canteen', 'neighborhood_center'] }, standby: { perArea: 3 }, reserveItems: ['folding_bed'], checklists: { ...WARM, ...MEALS, ...SHELTER } }),
    ],
  },
  {
    code: 'public_health',
    name: '突发公共卫生事件应急预案',
    nameEn: 'Public health emergency plan',
    hazard: 'public_health',
    levels: [
      level(4, { scope: { types: ['health_station'], areas: ['hubin', 'fengli'] }, standby: { skills: ['first_aid'], perArea: 1 }, reserveItems: ['mask', 'medicine_kit'], checklists: HEALTH }),
      level(3, { scope: { types: ['health_station'] }, standby: { skills: ['first_aid'], perArea: 1 }, reserveItems: ['first_aid_kit'], checklists: HEALTH }),
      level(2, { scope: { types: ['health_station', 'service_station'] }, standby: { skills: ['first_aid', 'psychological_support'], perArea: 2 }, reserveItems: ['mask'], checklists: HEALTH }),
      level(1, { scope: { types: ['health_station', 'service_station', 'neighborhood_center'] }, standby: { perArea: 3 }, reserveItems: ['water', 'instant_food'], checklists: { ...SHELTER, ...HEALTH } }),
    ],
  },
];

/** The four plans; a plan that exists (perhaps edited by a commander) is left alone. */
export async function seedPlans(m: EntityManager): Promise<void> {
  await m.query(
    `INSERT INTO response_plans (code, name, name_en, hazard, levels)
     SELECT r.code, r.name, r.name_en, r.hazard, r.levels
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, hazard text, levels jsonb)
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(SEED_PLANS.map((p) => ({ code: p.code, name: p.name, name_en: p.nameEn, hazard: p.hazard, levels: p.levels })))],
  );
}
