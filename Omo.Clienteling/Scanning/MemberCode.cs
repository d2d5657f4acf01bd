namespace Omo.Clienteling.Scanning;

/// <summary>What a code identifies a member by. The first four are stored identifier kinds; a typed member number is looked up directly.</summary>
public enum IdentifierKind { AppMember, PointCard, EcAccount, Email, MemberNumber }

/// <summary>The one outcome every lookup ends in (docs/member-codes.md).</summary>
public enum LookupOutcome { Found, Malformed, Expired, Forged, Unknown, Revoked, Erased }

/// <summary>Why a code is malformed, so the assistant can be told what is wrong.</summary>
public enum MalformedReason { Empty, Unrecognised, WrongCheckDigit, NotAMemberCard, WrongLength, BadAppCode, BadEcAccount, BadEmail }

/// <summary>A recognised identifier: its kind and its canonical text (as stored in member_identifiers).</summary>
public sealed record MemberCode(IdentifierKind Kind, string Value)
{
    public string StoredKind => Kind switch
    {
        IdentifierKind.AppMember or IdentifierKind.MemberNumber => "app_member",
        IdentifierKind.PointCard => "point_card",
        IdentifierKind.EcAccount => "ec_account",
        _ => "email",
    };

    public static IdentifierKind? FromStoredKind(string kind) => kind switch
    {
        "app_member" => IdentifierKind.AppMember,
        "point_card" => IdentifierKind.PointCard,
        "ec_account" => IdentifierKind.EcAccount,
        "email" => IdentifierKind.Email,
        _ => null,
    };
}

/// <summary>The kinds by their names in a profile's address and in audit rows: the stored names, and member_number.</summary>
public static class IdentifierKinds
{
    public static string Name(this IdentifierKind kind) => kind == IdentifierKind.MemberNumber ? "member_number" : new MemberCode(kind, "").StoredKind;

    public static IdentifierKind? FromName(string? name) => name switch
    {
        null => null,
        "member_number" => IdentifierKind.MemberNumber,
        _ => MemberCode.FromStoredKind(name),
    };
}

/// <summary>The parser's verdict: a code to look up, or the outcome that ends the lookup here.</summary>
public sealed record ParsedMemberCode(string Normalised, MemberCode? Code, LookupOutcome? Failure, MalformedReason? Reason)
{
    public static ParsedMemberCode Recognised(string normalised, IdentifierKind kind, string value) => new(normalised, new MemberCode(kind, value), null, null);
    public static ParsedMemberCode Malformed(string normalised, MalformedReason reason) => new(normalised, null, LookupOutcome.Malformed, reason);
    public static ParsedMemberCode Failed(string normalised, LookupOutcome outcome) => new(normalised, null, outcome, null);
}
