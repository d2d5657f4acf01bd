namespace Omo.Clienteling.Demo;

/// <summary>Japanese names with kana and the romaji used for demo e-mail addresses.</summary>
internal static class DemoNames
{
    public sealed record Name(string Kanji, string Kana, string Romaji);

    public static readonly Name[] Family =
    [
        new("佐藤", "サトウ", "sato"), new("鈴木", "スズキ", "suzuki"), new("高橋", "タカハシ", "takahashi"),
        new("田中", "タナカ", "tanaka"), new("伊藤", "イトウ", "ito"), new("渡辺", "ワタナベ", "watanabe"),
        new("山本", "ヤマモト", "yamamoto"), new("中村", "ナカムラ", "nakamura"), new("小林", "コバヤシ", "kobayashi"),
        new("加藤", "カトウ", "kato"), new("吉田", "ヨシダ", "yoshida"), new("山田", "ヤマダ", "yamada"),
        new("佐々木", "ササキ", "sasaki"), new("山口", "ヤマグチ", "yamaguchi"), new("松本", "マツモト", "matsumoto"),
        new("井上", "イノウエ", "inoue"), new("木村", "キムラ", "kimura"), new("林", "ハヤシ", "hayashi"),
        new("斎藤", "サイトウ", "saito"), new("清水", "シミズ", "shimizu"), new("山崎", "ヤマザキ", "yamazaki"),
        new("森", "モリ", "mori"), new("池田", "イケダ", "ikeda"), new("橋本", "ハシモト", "hashimoto"),
        new("阿部", "アベ", "abe"), new("石川", "イシカワ", "ishikawa"), new("山下", "ヤマシタ", "yamashita"),
        new("中島", "ナカジマ", "nakajima"), new("石井", "イシイ", "ishii"), new("小川", "オガワ", "ogawa"),
        new("前田", "マエダ", "maeda"), new("岡田", "オカダ", "okada"), new("長谷川", "ハセガワ", "hasegawa"),
        new("藤田", "フジタ", "fujita"), new("後藤", "ゴトウ", "goto"), new("近藤", "コンドウ", "kondo"),
        new("村上", "ムラカミ", "murakami"), new("遠藤", "エンドウ", "endo"), new("青木", "アオキ", "aoki"),
        new("坂本", "サカモト", "sakamoto"),
    ];

    public static readonly Name[] Given =
    [
        new("美咲", "ミサキ", "misaki"), new("陽菜", "ヒナ", "hina"), new("結衣", "ユイ", "yui"),
        new("さくら", "サクラ", "sakura"), new("愛", "アイ", "ai"), new("美穂", "ミホ", "miho"),
        new("直美", "ナオミ", "naomi"), new("葵", "アオイ", "aoi"), new("花子", "ハナコ", "hanako"),
        new("真由美", "マユミ", "mayumi"), new("優子", "ユウコ", "yuko"), new("千尋", "チヒロ", "chihiro"),
        new("彩", "アヤ", "aya"), new("恵", "メグミ", "megumi"), new("奈々", "ナナ", "nana"),
        new("由美", "ユミ", "yumi"), new("舞", "マイ", "mai"), new("杏", "アン", "an"),
        new("凛", "リン", "rin"), new("楓", "カエデ", "kaede"), new("明美", "アケミ", "akemi"),
        new("香織", "カオリ", "kaori"), new("智子", "トモコ", "tomoko"), new("麻衣", "マイ", "mai"),
        new("健太", "ケンタ", "kenta"), new("大輔", "ダイスケ", "daisuke"), new("翔太", "ショウタ", "shota"),
        new("拓也", "タクヤ", "takuya"), new("蓮", "レン", "ren"), new("悠斗", "ユウト", "yuto"),
        new("大翔", "ヒロト", "hiroto"), new("誠", "マコト", "makoto"), new("浩二", "コウジ", "koji"),
        new("直樹", "ナオキ", "naoki"), new("亮", "リョウ", "ryo"), new("和也", "カズヤ", "kazuya"),
    ];
}

/// <summary>Words that make believable product names: a material or cut, then the item.</summary>
internal static class DemoProductWords
{
    public sealed record Word(string Ja, string En);

    public static readonly Dictionary<string, Word[]> Items = new()
    {
        ["dress"] = [new("ラップワンピース", "wrap dress"), new("シャツワンピース", "shirt dress"), new("ニットワンピース", "knit dress"), new("プリーツワンピース", "pleated dress"), new("ティアードワンピース", "tiered dress")],
        ["cardigan"] = [new("Vネックカーディガン", "V-neck cardigan"), new("クルーネックカーディガン", "crew-neck cardigan"), new("ロングカーディガン", "long cardigan")],
        ["knit"] = [new("タートルネックニット", "turtleneck sweater"), new("ケーブルニット", "cable-knit sweater"), new("ニットベスト", "knit vest")],
        ["blouse"] = [new("ボウタイブラウス", "bow-tie blouse"), new("フリルブラウス", "frilled blouse"), new("スキッパーブラウス", "skipper blouse")],
        ["shirt"] = [new("オックスフォードシャツ", "Oxford shirt"), new("バンドカラーシャツ", "band-collar shirt"), new("オーバーサイズシャツ", "oversized shirt")],
        ["tshirt"] = [new("クルーネックT", "crew-neck tee"), new("ボーダーT", "striped tee"), new("ロングスリーブT", "long-sleeve tee")],
        ["pants"] = [new("ワイドパンツ", "wide trousers"), new("テーパードパンツ", "tapered trousers"), new("センタープレスパンツ", "pressed trousers")],
        ["skirt"] = [new("プリーツスカート", "pleated skirt"), new("フレアスカート", "flared skirt"), new("タイトスカート", "pencil skirt")],
        ["jacket"] = [new("テーラードジャケット", "tailored jacket"), new("ノーカラージャケット", "collarless jacket"), new("デニムジャケット", "denim jacket")],
        ["coat"] = [new("チェスターコート", "Chesterfield coat"), new("トレンチコート", "trench coat"), new("ダウンコート", "down coat")],
        ["scarf"] = [new("大判ストール", "wide stole"), new("カシミヤマフラー", "cashmere muffler"), new("シルクスカーフ", "silk scarf")],
        ["bag"] = [new("トートバッグ", "tote bag"), new("ショルダーバッグ", "shoulder bag"), new("ミニハンドバッグ", "mini handbag")],
        ["shoes"] = [new("ローファー", "loafers"), new("パンプス", "pumps"), new("スニーカー", "sneakers")],
        ["belt"] = [new("レザーベルト", "leather belt"), new("メッシュベルト", "mesh belt")],
        ["accessory"] = [new("パールピアス", "pearl earrings"), new("ネックレス", "necklace"), new("ヘアクリップ", "hair clip")],
    };

    public static readonly Word[] Materials =
    [
        new("ウールブレンド", "Wool-blend"), new("コットン", "Cotton"), new("リネン混", "Linen-mix"), new("とろみ", "Fluid"),
        new("ストレッチ", "Stretch"), new("ヴィンテージ風", "Vintage-look"), new("ソフト", "Soft"), new("撥水", "Water-repellent"),
        new("エコレザー", "Eco-leather"), new("シアー", "Sheer"), new("カシミヤタッチ", "Cashmere-touch"), new("ジャージー", "Jersey"),
    ];
}
