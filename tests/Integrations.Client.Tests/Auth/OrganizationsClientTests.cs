using Integrations.Testing;

namespace Integrations.Client.Tests.Auth;

/// <summary>An organization's members and invitations, every method once, against the Server process with people's accounts.</summary>
[Collection(IdentityHubGroup.Name)]
public sealed class OrganizationsClientTests(IdentityHub hub)
{
    private const string Password = "Kettle-Harbour-Quartz-91";

    [Fact]
    public async Task Members_AddChangeListRemove_ThePersonJoinsChangesRoleAndLeaves()
    {
        // Arrange: the platform organization's owner key, and a person who signed up.
        using var client = hub.Client(hub.Platform.ApiKey);
        var org = hub.Platform.OrganizationId;
        var person = await client.Auth.SignUpAsync(NewEmail(), Password);

        // Act
        var added = await client.Organizations.AddMemberAsync(org, person.User.Id, "member");
        var duplicate = await Assert.ThrowsAsync<HubConflictException>(() => client.Organizations.AddMemberAsync(org, person.User.Id, "member"));
        var changed = await client.Organizations.ChangeMemberRoleAsync(org, person.User.Id, "viewer");
        var listed = await client.Organizations.ListMembersAsync(org, perPage: 100);
        await client.Organizations.RemoveMemberAsync(org, person.User.Id);
        var afterRemove = await client.Organizations.ListMembersAsync(org, perPage: 100);

        // Assert
        Assert.Equal("member", added.Role);
        Assert.NotNull(duplicate.Code);
        Assert.Equal("viewer", changed.Role);
        Assert.Equal("viewer", listed.Data.Single(m => m.UserId == person.User.Id).Role);
        Assert.DoesNotContain(afterRemove.Data, m => m.UserId == person.User.Id);
    }

    [Fact]
    public async Task Invitations_CreateListRevokeAccept_OnlyTheLiveInvitationAdmitsTheVerifiedPerson()
    {
        // Arrange: a person with a verified address.
        using var client = hub.Client(hub.Platform.ApiKey);
        var org = hub.Platform.OrganizationId;
        var email = NewEmail();
        var person = await client.Auth.SignUpAsync(email, Password);
        await client.Auth.VerifyEmailAsync(await hub.NextRecoveryTokenAsync("auth.email_verification_required", person.User.Id));

        // Act
        var revoked = await client.Organizations.CreateInvitationAsync(org, email, "member");
        var listed = await client.Organizations.ListInvitationsAsync(org, perPage: 100);
        await client.Organizations.RevokeInvitationAsync(org, revoked.Id);
        var refused = await Assert.ThrowsAsync<HubValidationException>(() => client.Organizations.AcceptInvitationAsync(person.AccessToken, revoked.Token));
        var live = await client.Organizations.CreateInvitationAsync(org, email, "admin");
        var accepted = await client.Organizations.AcceptInvitationAsync(person.AccessToken, live.Token);
        var afterAccept = await client.Organizations.ListInvitationsAsync(org, perPage: 100);

        // Assert
        Assert.StartsWith("inv_", revoked.Id, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked.Token, revoked.ToString(), StringComparison.Ordinal);
        Assert.Contains(listed.Data, i => i.Id == revoked.Id && i.Email == email);
        Assert.Equal("token", refused.Field);
        Assert.Equal(org, accepted.OrganizationId);
        Assert.Equal("admin", accepted.Role);
        Assert.DoesNotContain(afterAccept.Data, i => i.Email == email);
        Assert.Equal("admin", (await client.Auth.LoginAsync(email, Password, org)).Role);
    }

    [Fact]
    public async Task AddMember_UnknownRole_ThrowsValidationExceptionNamingTheField()
    {
        using var client = hub.Client(hub.Platform.ApiKey);
        var person = await client.Auth.SignUpAsync(NewEmail(), Password);

        var error = await Assert.ThrowsAsync<HubValidationException>(() => client.Organizations.AddMemberAsync(hub.Platform.OrganizationId, person.User.Id, "emperor"));

        Assert.Equal("role", error.Field);
    }

    [Fact]
    public async Task ListMembersAndInvite_AnotherOrganizationsCredential_ThrowsNotFound()
    {
        // Arrange: a person's own token speaks for their personal organization, not the platform's.
        using var client = hub.Client(hub.Platform.ApiKey);
        var person = await client.Auth.SignUpAsync(NewEmail(), Password);
        using var outsider = hub.Client(person.AccessToken);

        // Act + Assert
        await Assert.ThrowsAsync<HubNotFoundException>(() => outsider.Organizations.ListMembersAsync(hub.Platform.OrganizationId));
        await Assert.ThrowsAsync<HubNotFoundException>(() => outsider.Organizations.CreateInvitationAsync(hub.Platform.OrganizationId, NewEmail(), "owner"));
        await Assert.ThrowsAsync<HubNotFoundException>(() => client.Organizations.ListMembersAsync(person.OrganizationId));
    }

    private static string NewEmail() => $"p{TestRandom.Hex(12)}@example.com";
}
