// Small display helpers shared by pages.

/** "教授，河南工业大学" — an expert's 职称 and 单位, leaving out whichever is empty. */
export const titleAndUnit = (e: { title: string; unit: string }) => [e.title, e.unit].filter(Boolean).join('，')
