/**
 * Places of Tianning District the demo fleet is built from. Road and market names come from
 * the district's 2024 H1 work report where it names them; community names and centres are
 * plausible, not surveyed: the demo must look like the district, not map it.
 */
import type { Subdistrict } from '../../../shared/contracts/index.ts';

export interface LatLon {
  lat: number;
  lon: number;
}

/** Every demo device lies inside this box (the district spans about 31.75–31.86 N, 119.95–120.10 E). */
export const DISTRICT_BOUNDS = { minLat: 31.75, maxLat: 31.86, minLon: 119.95, maxLon: 120.1 } as const;

export const ADDRESS_PREFIX = '常州市天宁区';

export interface SubdistrictPlaces {
  /** Second part of a grid-cell id: TN-<abbrev>-07. */
  abbrev: string;
  /** The part of an address after 常州市天宁区 and before the road (only the town has one). */
  addressArea: string;
  centre: LatLon;
  /** Standard deviation of community positions around the centre, in degrees. */
  spread: LatLon;
  /**
   * Share of the boxes. Roughly the resident population, except Zhenglu: the town is the
   * largest by area and not small in people, but most live in villages, and boxes go to
   * residential communities (小区), which cluster round the town centre.
   */
  boxWeight: number;
  roads: readonly string[];
  /** Communities every demo fleet has here, in this order. */
  knownCommunities: readonly string[];
  /** Local first halves of invented community names. */
  namePrefixes: readonly string[];
}

/** Grid-cell ids start with the district: TN-HM-07 is Tianning district, Hongmei, cell 7. */
export const GRID_DISTRICT_PREFIX = 'TN';

export const SUBDISTRICT_PLACES: Record<Subdistrict, SubdistrictPlaces> = {
  tianning: {
    abbrev: 'TN',
    addressArea: '',
    centre: { lat: 31.781, lon: 119.968 },
    spread: { lat: 0.005, lon: 0.006 },
    boxWeight: 11,
    roads: ['延陵东路', '关河东路', '和平北路', '北直街', '罗汉路', '局前街', '东横街', '舣舟亭路'],
    knownCommunities: ['青果巷小区', '罗汉路新村', '东横街小区'],
    namePrefixes: ['延陵', '舣舟', '天宁', '古运', '局前', '青果', '罗汉', '红梅'],
  },
  hongmei: {
    abbrev: 'HM',
    addressArea: '',
    centre: { lat: 31.801, lon: 119.984 },
    spread: { lat: 0.006, lon: 0.007 },
    boxWeight: 21,
    roads: ['竹林北路', '红梅北路', '红梅南路', '光华路', '北环路', '劳动中路', '竹林西路', '东经120路'],
    knownCommunities: ['红梅新村', '北环新村', '光华新村', '竹林花园'],
    namePrefixes: ['红梅', '竹林', '光华', '北环', '东经', '翠竹', '梅园', '锦绣'],
  },
  lanling: {
    abbrev: 'LL',
    addressArea: '',
    centre: { lat: 31.769, lon: 119.99 },
    spread: { lat: 0.005, lon: 0.007 },
    boxWeight: 19,
    roads: ['兰陵北路', '兰陵路', '劳动东路', '丽华南路', '东方西路', '朝阳路', '浦前路', '清凉路'],
    knownCommunities: ['兰陵新村', '丽华新村', '朝阳新村', '浦南新村'],
    namePrefixes: ['兰陵', '丽华', '朝阳', '浦前', '清凉', '花园', '东方', '桃园'],
  },
  chashan: {
    abbrev: 'CS',
    addressArea: '',
    centre: { lat: 31.767, lon: 120.015 },
    spread: { lat: 0.005, lon: 0.007 },
    boxWeight: 15,
    roads: ['东方东路', '茶山路', '丽华北路', '中吴大道', '飞龙东路', '五角场路', '劳动东路'],
    knownCommunities: ['茶山新村', '五角场小区', '东方花园'],
    namePrefixes: ['茶山', '飞龙', '五角', '东方', '中吴', '采菱', '富都', '金色'],
  },
  qinglong: {
    abbrev: 'QL',
    addressArea: '',
    centre: { lat: 31.818, lon: 119.996 },
    spread: { lat: 0.006, lon: 0.008 },
    boxWeight: 15,
    roads: ['青洋北路', '龙锦路', '青龙东路', '青龙西路', '北塘河路', '新堂路', '龙城大道', '通江中路'],
    // The points-scheme (积分制) pilot: ~800 households, more than 500 taking part.
    knownCommunities: ['新天地花苑', '青龙苑', '龙锦家园'],
    namePrefixes: ['青龙', '龙锦', '青洋', '北塘', '新堂', '龙城', '天禧', '星河'],
  },
  diaozhuang: {
    abbrev: 'DZ',
    addressArea: '',
    centre: { lat: 31.792, lon: 120.034 },
    spread: { lat: 0.006, lon: 0.008 },
    boxWeight: 10,
    roads: ['常澄路', '雕庄路', '凤凰路', '采菱路', '东方东路', '横塘河西路', '青洋北路'],
    knownCommunities: ['雕庄新村', '凤凰花园', '采菱家园'],
    namePrefixes: ['雕庄', '凤凰', '采菱', '横塘', '常澄', '丁香', '翠园', '和悦'],
  },
  zhenglu: {
    abbrev: 'ZL',
    addressArea: '郑陆镇',
    centre: { lat: 31.84, lon: 120.068 },
    spread: { lat: 0.007, lon: 0.012 },
    boxWeight: 9,
    roads: ['横墩路', '武澄西路', '焦溪路', '舜山路', '三河口路', '郑陆大道', '芙蓉路'],
    knownCommunities: ['郑陆花园', '焦溪新村', '舜山家园'],
    namePrefixes: ['郑陆', '焦溪', '舜山', '三河', '芙蓉', '武澄', '东青', '查家'],
  },
};

/** First halves any subdistrict may use for an invented community name. */
export const GENERIC_NAME_PREFIXES = [
  '阳光', '锦绣', '金色', '碧水', '紫金', '香樟', '玉兰', '和平', '幸福', '丽景', '翠园', '书香',
  '怡景', '嘉禾', '春江', '清荷', '世纪', '馨园', '御景', '瑞和', '东城', '润园', '聚福', '荷花',
  '天鹅', '银河', '博爱', '文化', '桂花', '常发', '百合', '秀水', '怡康', '永宁', '长江', '明珠',
] as const;

/** Second halves, weighted by how often Changzhou communities use them. */
export const COMMUNITY_SUFFIXES: readonly (readonly [string, number])[] = [
  ['花园', 5],
  ['新村', 5],
  ['苑', 4],
  ['家园', 4],
  ['花苑', 3],
  ['雅苑', 2],
  ['小区', 2],
  ['公寓', 1],
  ['名邸', 1],
  ['佳园', 1],
];

/** The 16 city-appearance demonstration roads of 2024 (the report names the first five). */
export const DEMONSTRATION_ROADS: readonly { road: string; subdistrict: Subdistrict }[] = [
  { road: '新堂路', subdistrict: 'qinglong' },
  { road: '劳动路', subdistrict: 'lanling' },
  { road: '横墩路', subdistrict: 'zhenglu' },
  { road: '凤凰路', subdistrict: 'diaozhuang' },
  { road: '青果巷', subdistrict: 'tianning' },
  { road: '关河东路', subdistrict: 'tianning' },
  { road: '延陵东路', subdistrict: 'tianning' },
  { road: '和平北路', subdistrict: 'tianning' },
  { road: '竹林北路', subdistrict: 'hongmei' },
  { road: '丽华北路', subdistrict: 'chashan' },
  { road: '青洋北路', subdistrict: 'qinglong' },
  { road: '中吴大道', subdistrict: 'chashan' },
  { road: '龙锦路', subdistrict: 'qinglong' },
  { road: '东方东路', subdistrict: 'chashan' },
  { road: '常澄路', subdistrict: 'diaozhuang' },
  { road: '北塘河路', subdistrict: 'hongmei' },
];

/** The 2 market demonstration points; Chaoyang market is named in the report. */
export const DEMONSTRATION_MARKETS: readonly { market: string; road: string; subdistrict: Subdistrict }[] = [
  { market: '朝阳菜场', road: '朝阳路', subdistrict: 'lanling' },
  { market: '红梅菜场', road: '红梅北路', subdistrict: 'hongmei' },
];

/** Common surnames, weighted; Changzhou adds 钱, 蒋, 恽, 庄, 顾 to the national list. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 8], ['李', 7], ['张', 7], ['刘', 5], ['陈', 6], ['杨', 4], ['黄', 3], ['赵', 3],
  ['吴', 5], ['周', 5], ['徐', 5], ['孙', 3], ['朱', 4], ['胡', 2], ['郭', 2], ['何', 2],
  ['高', 2], ['林', 2], ['钱', 3], ['蒋', 3], ['沈', 3], ['顾', 3], ['陆', 3], ['庄', 2],
  ['恽', 1], ['汤', 2], ['许', 2], ['姚', 2], ['丁', 2], ['华', 1], ['邵', 1], ['薛', 1],
];

/** Characters of given names; a name takes one or two. */
export const GIVEN_NAME_CHARS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明',
  '超', '秀', '霞', '平', '刚', '桂', '英', '华', '红', '建', '国', '文', '斌', '辉', '鹏', '宇',
  '婷', '雪', '琳', '晨', '凯', '俊', '峰', '波', '燕', '玲', '萍', '新', '志', '春', '海', '亮',
] as const;
