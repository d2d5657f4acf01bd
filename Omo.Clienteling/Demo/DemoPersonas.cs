namespace Omo.Clienteling.Demo;

/// <summary>
/// The scripted members whose histories tell the OMO stories trainers teach with; each story shows on the tablet of
/// <see cref="StoreId"/> (Shibuya unless the story happens elsewhere).
/// </summary>
public sealed record DemoPersona(int Number, string FamilyName, string GivenName, string StoryJa, string StoryEn, string ExpectedRule, string StoreId = "S01")
{
    public long MemberId => Number;
    public string MemberNo => Scanning.MemberNumber.Format(Number);
    public string PointCard => Scanning.Gs1.PointCardNumber(Number);
}

public static class DemoPersonas
{
    /// <summary>Persona 3's hold at Ginza and persona 11's appointment at Shibuya: the trainer's walkthrough names them.</summary>
    public const string Persona3Hold = "DEMO-HOLD-3", Persona11Appointment = "DEMO-APPT-11";

    public static IReadOnlyList<DemoPersona> All { get; } =
    [
        new(1, "佐藤", "美咲", "広告でワンピースを見て、ウェブストアで3回閲覧。渋谷店にチェックインし試着したが購入せず。",
            "Saw a dress in an ad, viewed it 3 times on the web shop, checked in at Shibuya, tried it on, left without buying.", "tried-not-bought"),
        new(2, "鈴木", "陽菜", "2週間でコートを6回閲覧し、オンラインのカートに入れたまま。",
            "Viewed one coat 6 times in two weeks; it is still in her online cart.", "high-intent-cart"),
        new(3, "高橋", "結衣", "来店予約ページを2回開いた後、アプリでジャケット（M）を銀座店に試着のお取り置き。渋谷店はMが品切れ。",
            "Opened the store-reservation page twice, then asked the app to keep her jacket in M at Ginza to try on (Shibuya is out of M).",
            "hold-waiting", "S03"),
        new(4, "田中", "健太", "90日間で低価格帯のTシャツを6回購入。アップセルの候補。",
            "Bought low-priced T-shirts six times in 90 days: ready for the next line up.", "upsell-frequent-low-price"),
        new(5, "伊藤", "さくら", "クリック&コレクトの注文が渋谷店で受け取り待ち。",
            "A click-and-collect order is ready for pickup at Shibuya.", "pickup-waiting"),
        new(6, "渡辺", "愛", "3,200ポイントが30日以内に失効。",
            "3,200 points expire within 30 days.", "points-expiring"),
        new(7, "山本", "美穂", "今月が誕生月で、マーケティングに同意済み。",
            "Her birthday is this month and she accepts marketing.", "birthday-month"),
        new(8, "中村", "大輔", "120日以上購入がない休眠顧客。好きなカテゴリはジャケット。",
            "Lapsed: no purchase for 150 days; he used to buy jackets.", "lapsed-welcome-back"),
        new(9, "小林", "直美", "ポイントカードとウェブストアのアカウントが別々の会員として登録されていたが統合済み。オンラインで買ったワンピースに合うカーディガンを提案できる。",
            "Her point card and web-shop account were two member records, now merged: the dress she bought online shows, so a matching cardigan can be suggested.", "cross-sell-complement"),
        new(10, "加藤", "翔太", "オンライン行動の利用に同意していない。購入履歴は表示されるが閲覧履歴は表示されない。",
            "Did not consent to the use of online behaviour: purchases show, browsing does not.", "cross-sell-complement"),
        new(11, "佐々木", "彩", "アプリで本日14:00から渋谷店のスタイリングを予約。秋のジャケットを探している。",
            "Booked a styling appointment at Shibuya today at 14:00 in the app; she is looking for an autumn jacket.", "appointment-today"),
    ];
}
