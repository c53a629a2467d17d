using EduBureau.Core.Figures;

namespace EduBureau.Core.Exams;

/// <summary>
/// An exam's scores as the analysis reads them (<see cref="ExamData"/>), loaded once per change of the data and stored
/// (ADR 0012): the load is most of an analysis's cost. Keyed by the exam's id (in <see cref="StoredFigure.Year"/>).
/// The analysis itself runs from the stored data, in memory, and is cut to the reader by the web app (ExamAccess).
/// </summary>
public static class ExamFigures
{
    public static readonly FigureKind<ExamData> Data = new("exam-data", "考试成绩数据",
        async (db, examId, ct) => (await ExamStore.LoadAsync(db, examId, withNames: true, ct)).Data);
}
