/** Database row types. One interface per table, named `<Thing>Table`. */
export interface InstanceSettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  instance_setting: InstanceSettingTable;
}
