/** 製品バージョン and 通報モジュール(アラートマネージャ)バージョン shown in ヘルプ → バージョン情報. */
export const PRODUCT_VERSION = '0.1.0';
export const REPORT_MODULE_VERSION = '1.0.0';
