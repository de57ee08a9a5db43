/**
 * Words that make a case urgent (level 1) whatever item it matches: a life in danger right now.
 * The responsibility list has no item for most of them ("楼顶有人要跳楼"), so without this such a
 * case would be graded by its item (the fallback, level 3) and wait two hours.
 */
export const URGENT_WORDS = ['跳楼', '轻生', '自杀', '割腕', '有人落水', '溺水', '被困', '昏迷', '晕倒', '持刀', '砍人', '爆炸'];

export function urgentByWords(title: string, description: string): boolean {
  const text = `${title}\n${description}`;
  return URGENT_WORDS.some((w) => text.includes(w));
}
