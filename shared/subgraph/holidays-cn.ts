/**
 * Public holidays and make-up working days (调休) of the mainland, as the General Office of the
 * State Council publishes them each year in 国务院办公厅关于<year>年部分节假日安排的通知. A day
 * listed here overrides the Monday–Friday rule: `off` days are not working days (weekend days
 * inside a break are listed too, as the notices count them), `work` days are weekends made working
 * days. Only the notices' own dates are here; the working calendar is kept in the requests
 * subgraph's database and this is its default and its seed (see `calendar.ts`).
 *
 * Each entry cites its notice (文号, date of publication). Checked against the notices' text as
 * published by 新华社 / 中国政府网.
 */
export interface HolidayNotice {
  year: number;
  /** The notice's title and document number. */
  notice: string;
  /** When the notice was published (YYYY-MM-DD). */
  published: string;
  breaks: Array<{ name: string; off: [string, string]; work?: string[] }>;
}

export const HOLIDAY_NOTICES: readonly HolidayNotice[] = [
  {
    year: 2020,
    notice: '国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号）；春节延长：国务院办公厅关于延长2020年春节假期的通知（国办发明电〔2020〕1号，2020-01-27）',
    published: '2019-11-21',
    breaks: [
      { name: '元旦', off: ['2020-01-01', '2020-01-01'] },
      // Planned 1-24…1-30 with 2-01 (Sat) worked; the extension made it 1-24…2-02 and 2-01 a rest day.
      { name: '春节', off: ['2020-01-24', '2020-02-02'], work: ['2020-01-19'] },
      { name: '清明节', off: ['2020-04-04', '2020-04-06'] },
      { name: '劳动节', off: ['2020-05-01', '2020-05-05'], work: ['2020-04-26', '2020-05-09'] },
      { name: '端午节', off: ['2020-06-25', '2020-06-27'], work: ['2020-06-28'] },
      { name: '国庆节、中秋节', off: ['2020-10-01', '2020-10-08'], work: ['2020-09-27', '2020-10-10'] },
    ],
  },
  {
    year: 2021,
    notice: '国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）',
    published: '2020-11-25',
    breaks: [
      { name: '元旦', off: ['2021-01-01', '2021-01-03'] },
      { name: '春节', off: ['2021-02-11', '2021-02-17'], work: ['2021-02-07', '2021-02-20'] },
      { name: '清明节', off: ['2021-04-03', '2021-04-05'] },
      { name: '劳动节', off: ['2021-05-01', '2021-05-05'], work: ['2021-04-25', '2021-05-08'] },
      { name: '端午节', off: ['2021-06-12', '2021-06-14'] },
      { name: '中秋节', off: ['2021-09-19', '2021-09-21'], work: ['2021-09-18'] },
      { name: '国庆节', off: ['2021-10-01', '2021-10-07'], work: ['2021-09-26', '2021-10-09'] },
    ],
  },
  {
    year: 2022,
    notice: '国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）',
    published: '2021-10-25',
    breaks: [
      { name: '元旦', off: ['2022-01-01', '2022-01-03'] },
      { name: '春节', off: ['2022-01-31', '2022-02-06'], work: ['2022-01-29', '2022-01-30'] },
      { name: '清明节', off: ['2022-04-03', '2022-04-05'], work: ['2022-04-02'] },
      { name: '劳动节', off: ['2022-04-30', '2022-05-04'], work: ['2022-04-24', '2022-05-07'] },
      { name: '端午节', off: ['2022-06-03', '2022-06-05'] },
      { name: '中秋节', off: ['2022-09-10', '2022-09-12'] },
      { name: '国庆节', off: ['2022-10-01', '2022-10-07'], work: ['2022-10-08', '2022-10-09'] },
    ],
  },
  {
    year: 2023,
    notice: '国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）',
    published: '2022-12-08',
    breaks: [
      // The notice's 元旦 break starts on Saturday 2022-12-31.
      { name: '元旦', off: ['2022-12-31', '2023-01-02'] },
      { name: '春节', off: ['2023-01-21', '2023-01-27'], work: ['2023-01-28', '2023-01-29'] },
      { name: '清明节', off: ['2023-04-05', '2023-04-05'] },
      { name: '劳动节', off: ['2023-04-29', '2023-05-03'], work: ['2023-04-23', '2023-05-06'] },
      { name: '端午节', off: ['2023-06-22', '2023-06-24'], work: ['2023-06-25'] },
      { name: '中秋节、国庆节', off: ['2023-09-29', '2023-10-06'], work: ['2023-10-07', '2023-10-08'] },
    ],
  },
  {
    year: 2024,
    notice: '国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）',
    published: '2023-10-25',
    breaks: [
      { name: '元旦', off: ['2024-01-01', '2024-01-01'] },
      { name: '春节', off: ['2024-02-10', '2024-02-17'], work: ['2024-02-04', '2024-02-18'] },
      { name: '清明节', off: ['2024-04-04', '2024-04-06'], work: ['2024-04-07'] },
      { name: '劳动节', off: ['2024-05-01', '2024-05-05'], work: ['2024-04-28', '2024-05-11'] },
      { name: '端午节', off: ['2024-06-10', '2024-06-10'] },
      { name: '中秋节', off: ['2024-09-15', '2024-09-17'], work: ['2024-09-14'] },
      { name: '国庆节', off: ['2024-10-01', '2024-10-07'], work: ['2024-09-29', '2024-10-12'] },
    ],
  },
  {
    year: 2025,
    notice: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    published: '2024-11-12',
    breaks: [
      { name: '元旦', off: ['2025-01-01', '2025-01-01'] },
      { name: '春节', off: ['2025-01-28', '2025-02-04'], work: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', off: ['2025-04-04', '2025-04-06'] },
      { name: '劳动节', off: ['2025-05-01', '2025-05-05'], work: ['2025-04-27'] },
      { name: '端午节', off: ['2025-05-31', '2025-06-02'] },
      { name: '国庆节、中秋节', off: ['2025-10-01', '2025-10-08'], work: ['2025-09-28', '2025-10-11'] },
    ],
  },
  {
    year: 2026,
    // The document number is not in the published text we checked (新华社, 2025-11-04).
    notice: '国务院办公厅关于2026年部分节假日安排的通知（新华社 2025-11-04 受权发布）',
    published: '2025-11-04',
    breaks: [
      { name: '元旦', off: ['2026-01-01', '2026-01-03'], work: ['2026-01-04'] },
      { name: '春节', off: ['2026-02-15', '2026-02-23'], work: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', off: ['2026-04-04', '2026-04-06'] },
      { name: '劳动节', off: ['2026-05-01', '2026-05-05'], work: ['2026-05-09'] },
      { name: '端午节', off: ['2026-06-19', '2026-06-21'] },
      { name: '中秋节', off: ['2026-09-25', '2026-09-27'] },
      { name: '国庆节', off: ['2026-10-01', '2026-10-07'], work: ['2026-09-20', '2026-10-10'] },
    ],
  },
];
