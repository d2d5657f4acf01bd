using System.Text;
using Omo.Clienteling.Scanning;

namespace Omo.Clienteling.Tests.Scanning;

public class MemberCodeParserTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("test-app-code-key-0123456789");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 15, 10, TimeSpan.Zero);
    private static readonly long Step = AppCode.StepAt(Now);

    private static ParsedMemberCode Parse(string input) => MemberCodeParser.Parse(input, Key, Now);

    [Theory]
    [InlineData("2900000012349")]
    [InlineData("  2900000012349\n")]
    [InlineData("２９００００００１２３４９")] // full-width digits from a Japanese IME
    [InlineData("2900 0000 1234 9")]
    [InlineData("2900-0000-1234-9")]
    [InlineData("２９００－００００－１２３４－９")]
    public void Point_cards_are_recognised_after_normalising(string input)
    {
        var parsed = Parse(input);
        Assert.Equal(new MemberCode(IdentifierKind.PointCard, "2900000012349"), parsed.Code);
    }

    [Fact]
    public void A_wrong_check_digit_is_malformed_not_unknown()
    {
        var parsed = Parse("2900000012348");
        Assert.Equal(LookupOutcome.Malformed, parsed.Failure);
        Assert.Equal(MalformedReason.WrongCheckDigit, parsed.Reason);
    }

    [Fact]
    public void A_product_barcode_is_not_a_member_card()
    {
        Assert.Equal(MalformedReason.NotAMemberCard, Parse("4901234567894").Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello")]
    [InlineData("12345")]
    [InlineData("EC-")]
    [InlineData("EC-12ab")]
    [InlineData("someone@")]
    [InlineData("OMO1:0000000001:123")]
    [InlineData("OMO1:00000001:59025305:0011223344556677")]
    public void Anything_else_is_malformed_with_a_reason(string input)
    {
        var parsed = Parse(input);
        Assert.Equal(LookupOutcome.Malformed, parsed.Failure);
        Assert.NotNull(parsed.Reason);
        Assert.Null(parsed.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(1)]
    public void App_codes_within_the_window_are_accepted(int stepOffset)
    {
        var code = AppCode.Create(Key, "0000012345", Step + stepOffset);
        Assert.Equal(new MemberCode(IdentifierKind.AppMember, "0000012345"), Parse(code).Code);
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(2)]
    public void App_codes_one_step_outside_the_window_are_expired(int stepOffset)
    {
        var code = AppCode.Create(Key, "0000012345", Step + stepOffset);
        Assert.Equal(LookupOutcome.Expired, Parse(code).Failure);
    }

    [Fact]
    public void App_codes_are_case_insensitive_in_their_prefix()
    {
        var code = AppCode.Create(Key, "0000012345", Step).Replace("OMO1", "omo1");
        Assert.Equal(IdentifierKind.AppMember, Parse(code).Code?.Kind);
    }

    [Fact]
    public void A_signature_made_with_another_key_or_for_another_member_is_forged()
    {
        var otherKey = AppCode.Create(Encoding.UTF8.GetBytes("some-other-key-0123456789"), "0000012345", Step);
        var genuine = AppCode.Create(Key, "0000012345", Step);
        var otherMember = genuine.Replace("0000012345", "0000012346");
        Assert.Equal(LookupOutcome.Forged, Parse(otherKey).Failure);
        Assert.Equal(LookupOutcome.Forged, Parse(otherMember).Failure);
    }

    [Fact]
    public void A_forged_code_is_forged_even_when_it_is_also_old()
    {
        var forged = AppCode.Create(Encoding.UTF8.GetBytes("some-other-key-0123456789"), "0000012345", Step - 100);
        Assert.Equal(LookupOutcome.Forged, Parse(forged).Failure);
    }

    [Fact]
    public void The_signature_is_the_first_eight_bytes_of_hmac_sha256_in_lowercase_hex()
    {
        var code = AppCode.Create(Key, "0000012345", 59012345);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes("OMO1:0000012345:59012345"))[..8]);
        Assert.Equal($"OMO1:0000012345:59012345:{expected}", code);
    }

    [Theory]
    [InlineData("EC-1234567", IdentifierKind.EcAccount, "EC-1234567")]
    [InlineData("ec-1234567", IdentifierKind.EcAccount, "EC-1234567")]
    [InlineData(" Misaki.Sato@Example.JP ", IdentifierKind.Email, "misaki.sato@example.jp")]
    [InlineData("0000000001", IdentifierKind.MemberNumber, "0000000001")]
    [InlineData("０００００００００１", IdentifierKind.MemberNumber, "0000000001")]
    [InlineData("0000-000-001", IdentifierKind.MemberNumber, "0000000001")]
    public void Web_shop_accounts_emails_and_typed_member_numbers_are_recognised(string input, IdentifierKind kind, string value)
    {
        Assert.Equal(new MemberCode(kind, value), Parse(input).Code);
    }
}
