using Microsoft.AspNetCore.Components.Authorization;

namespace Omo.Clienteling.Staff;

/// <summary>
/// Who is using this tablet and for which store, from their sign-in. Every page asks here, so store scoping has one
/// source: an associate of S01 works for S01 whatever the URL says.
/// </summary>
public sealed class ShopContext(AuthenticationStateProvider authentication)
{
    /// <summary>The signed-in staff member, or null once a sign-in ended (deactivated, signed out elsewhere).</summary>
    public StaffMember? Current
    {
        get
        {
            // On a Blazor Server circuit the state is known from the start (the connection's sign-in): the task is complete.
            var state = authentication.GetAuthenticationStateAsync();
            return state.IsCompletedSuccessfully ? StaffMember.From(state.Result.User) : null;
        }
    }

    /// <summary>The signed-in staff member, for pages behind a staff policy, which always have one.</summary>
    public StaffMember Staff => Current ?? throw new InvalidOperationException("Nobody is signed in on this tablet.");

    public string StoreId => Staff.StoreId;

    public string StaffCode => Staff.Code;
}
