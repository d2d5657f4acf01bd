namespace Omo.Clienteling.Ingestion;

/// <summary>
/// An event that is valid on its own but cannot be applied to what we know. Thrown before the event's first write, so
/// nothing of it is in the batch's transaction.
/// </summary>
internal sealed class EventRefused(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
}
