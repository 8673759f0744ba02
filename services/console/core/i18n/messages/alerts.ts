/**
 * Messages of the alerts part of the console.
 *
 * `alerts.msg.<code>`: an alert's title for each message code the alert rules produce
 * (services/alerts/core/titles.ts, whose English functions these English messages repeat word for
 * word). Their params are codes, translated before they are filled in (alert-text.ts), numbers,
 * and proper names (place = the device's name and community, zone, community, consumer).
 * `alerts.detection.<type>`: what a camera detected, as a `detectionType` param.
 */
import { defineMessages } from '../catalogue.ts';

export const alertsMessages = defineMessages(
  {
    'alerts.msg.bin_full.level': '{category} compartment {percent}% full at {place}',
    'alerts.msg.bin_full.overflow': '{category} compartment overflowing at {place}',
    'alerts.msg.device_offline.went_offline': '{place} went offline',
    'alerts.msg.device_offline.never_heard': 'Never heard from {place}',
    'alerts.msg.device_offline.silent': 'No message from {place} for {minutes} min',
    'alerts.msg.device_offline.flapping': 'Connection of {place} is flapping: {transitions} changes',
    'alerts.msg.area_outage.community': 'Area outage: {offline} of {total} devices offline in {community}',
    'alerts.msg.area_outage.subdistrict': 'Area outage: {offline} of {total} devices offline in {subdistrict} subdistrict',
    'alerts.msg.illegal_dumping.detected': 'Illegal dumping at {place} ({zone})',
    'alerts.msg.city_appearance.detected': '{detectionType} at {place} ({zone})',
    'alerts.msg.fire_risk.overheat': 'Fire risk: {place} reports overheating',
    'alerts.msg.fire_risk.burning': 'Fire risk: {place} reports burning ({temperature} °C)',
    'alerts.msg.fire_risk.rising': 'Fire risk at {place}: temperature up {rise} °C within {minutes} min ({temperature} °C)',
    'alerts.msg.fire_risk.hot': 'Fire risk at {place}: {temperature} °C',
    'alerts.msg.lid_open.stuck': 'Lid stuck at {place}',
    'alerts.msg.lid_open.too_long': 'Lid open for {minutes} min at {place}',
    'alerts.msg.integrity.tilted': '{place} tilted or knocked over',
    'alerts.msg.integrity.moved': '{place} moved from its place',
    'alerts.msg.integrity.vandalized': '{place} vandalized',
    'alerts.msg.integrity.tamper': 'Tamper alarm at {place}',
    'alerts.msg.low_battery.level': 'Battery at {percent}% in {place}',
    'alerts.msg.low_battery.fault': 'Low battery reported by {place}',
    'alerts.msg.sensor_fault.stream_lost': 'Video stream lost at {place}',
    'alerts.msg.sensor_fault.power_loss': 'Power loss at {place}',
    'alerts.msg.sensor_fault.sensor_fault': 'Sensor fault at {place}',
    'alerts.msg.journal_near_cap.store': 'Ingest backlog at {percent}% of its cap (InfluxDB unreachable?)',
    'alerts.msg.journal_near_cap.consumer': 'Ingest backlog at {percent}% of its cap (consumer {consumer} behind)',
    'alerts.msg.collection_missed.full': 'Planned collection missed at {place}. {category} compartment {percent}% full (vehicle {plate}, plan {planId})',
    /** Alerts stored before titles had codes: the English title is all there is. */
    'alerts.msg.legacy': '{title}',

    'alerts.detection.illegal_dumping': 'Illegal dumping',
    'alerts.detection.street_vending': 'Street vending',
    'alerts.detection.outside_store_operation': 'Outside store operation',
    'alerts.detection.disorderly_parking': 'Disorderly parking',
    'alerts.detection.overflowing_bin': 'Overflowing bin',
  },
  {
    'alerts.msg.bin_full.level': '{place} {category}仓满溢度 {percent}%',
    'alerts.msg.bin_full.overflow': '{place} {category}仓已满溢',
    'alerts.msg.device_offline.went_offline': '{place} 已离线',
    'alerts.msg.device_offline.never_heard': '{place} 从未上报数据',
    'alerts.msg.device_offline.silent': '{place} 已 {minutes} 分钟未上报数据',
    'alerts.msg.device_offline.flapping': '{place} 网络频繁断连：{transitions} 次通断',
    'alerts.msg.area_outage.community': '区域断线：{community} {total} 台设备中 {offline} 台离线',
    'alerts.msg.area_outage.subdistrict': '区域断线：{subdistrict} {total} 台设备中 {offline} 台离线',
    'alerts.msg.illegal_dumping.detected': '{place}（{zone}）发现违规倾倒',
    'alerts.msg.city_appearance.detected': '{place}（{zone}）发现{detectionType}',
    'alerts.msg.fire_risk.overheat': '火情风险：{place} 报告设备过热',
    'alerts.msg.fire_risk.burning': '火情风险：{place} 报告起火（{temperature}℃）',
    'alerts.msg.fire_risk.rising': '火情风险：{place} {minutes} 分钟内升温 {rise}℃（当前 {temperature}℃）',
    'alerts.msg.fire_risk.hot': '火情风险：{place} 温度达 {temperature}℃',
    'alerts.msg.lid_open.stuck': '{place} 投口卡住',
    'alerts.msg.lid_open.too_long': '{place} 投口已打开 {minutes} 分钟',
    'alerts.msg.integrity.tilted': '{place} 发生倾斜或倾倒',
    'alerts.msg.integrity.moved': '{place} 被移离原位',
    'alerts.msg.integrity.vandalized': '{place} 遭人为损坏',
    'alerts.msg.integrity.tamper': '{place} 触发防撬报警',
    'alerts.msg.low_battery.level': '{place} 电量仅剩 {percent}%',
    'alerts.msg.low_battery.fault': '{place} 报告电量低',
    'alerts.msg.sensor_fault.stream_lost': '{place} 视频信号中断',
    'alerts.msg.sensor_fault.power_loss': '{place} 断电',
    'alerts.msg.sensor_fault.sensor_fault': '{place} 传感器故障',
    'alerts.msg.journal_near_cap.store': '数据接入积压已达上限的 {percent}%（时序数据库可能无法连接）',
    'alerts.msg.journal_near_cap.consumer': '数据接入积压已达上限的 {percent}%（处理进程 {consumer} 滞后）',
    'alerts.msg.collection_missed.full': '{place} 计划收运漏收：{category}仓满溢度 {percent}%（收运车 {plate}，计划 {planId}）',
    'alerts.msg.legacy': '{title}',

    'alerts.detection.illegal_dumping': '违规倾倒',
    'alerts.detection.street_vending': '占道经营',
    'alerts.detection.outside_store_operation': '出店经营',
    'alerts.detection.disorderly_parking': '乱停乱放',
    'alerts.detection.overflowing_bin': '垃圾满溢',
  },
);
