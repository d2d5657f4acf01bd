namespace Omo.Clienteling.Members;

/// <summary>A visit the customer booked in one shop (試着予約, a styling session, an alteration).</summary>
public sealed record Appointment(
    string AppointmentId, string StoreId, DateTimeOffset StartsAt, int Minutes, AppointmentPurpose Purpose, string? Note, AppointmentStatus Status,
    DateTimeOffset BookedAt)
{
    public bool IsOnDay(DateOnly day) => ShopTime.DayOf(StartsAt) == day;

    /// <summary>Booked and not called off: the shop expects them (or they came).</summary>
    public bool Expected => Status == AppointmentStatus.Booked || Status == AppointmentStatus.Visited;
}

/// <summary>An appointment as SQL reads it (<c>SELECT appointment_id, store_id, starts_at, minutes, purpose, note, status, booked_at</c>).</summary>
internal sealed class AppointmentRow
{
    public const string Columns = "appointment_id, member_id, store_id, starts_at, minutes, purpose, note, status, booked_at";

    public string AppointmentId { get; init; } = "";
    public long MemberId { get; init; }
    public string StoreId { get; init; } = "";
    public DateTimeOffset StartsAt { get; init; }
    public int Minutes { get; init; }
    public AppointmentPurpose Purpose { get; init; }
    public string? Note { get; init; }
    public AppointmentStatus Status { get; init; }
    public DateTimeOffset BookedAt { get; init; }

    public Appointment ToAppointment() => new(AppointmentId, StoreId, StartsAt, Minutes, Purpose, Note, Status, BookedAt);
}
